// Shared by every test and benchmark that drives Debian's Chromium through
// playwright-core (no browser is ever downloaded): a static server on
// loopback and a Chromium launch with a fresh profile. Callers pass their own
// playwright-core `chromium` (each resolves it from its own node_modules).
import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The flags every run passes to Chromium (headless, no sandbox, no network chatter). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };

/**
 * Serves the files below dir, read-only, on 127.0.0.1 (.wasm as
 * application/wasm). Resolves with the server and its origin.
 */
export async function serveDir(dir) {
  const root = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root + path.sep)) return res.writeHead(403).end();
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Launches /usr/bin/chromium (or $CHROMIUM) with a fresh persistent profile
 * made under parent (default: the system's temporary directory), so
 * IndexedDB starts empty and lives on disk as for a user. options go to
 * launchPersistentContext. Resolves with the context, the profile directory
 * and close(), which closes the browser and removes the profile.
 */
export async function launchChromium(chromium, { prefix = "willow-chromium-", parent = os.tmpdir(), options = {} } = {}) {
  const userDataDir = await fs.mkdtemp(path.join(parent, prefix));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  const close = async () => {
    await context.close().catch(() => {});
    await fs.rm(userDataDir, { recursive: true, force: true });
  };
  return { context, userDataDir, close };
}

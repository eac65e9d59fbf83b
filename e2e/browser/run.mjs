// Serves a directory on 127.0.0.1 and runs index.html in Debian's Chromium
// through playwright-core (no browser download). Usage:
//   node run.mjs <dir> <path to playwright-core>
import http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";
import os from "node:os";
import { createRequire } from "node:module";

const [dirArg, playwrightPath] = process.argv.slice(2);
const dir = path.resolve(dirArg);
const { chromium } = createRequire(import.meta.url)(playwrightPath);

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
const server = http.createServer(async (req, res) => {
  const file = path.join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(dir + path.sep)) return res.writeHead(403).end();
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/index.html`;

const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), "willow-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let status = 1;
try {
  const page = await context.newPage();
  page.on("console", (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__done !== undefined, null, { timeout: 180_000 });
  const done = await page.evaluate(() => window.__done);
  if (done.ok) {
    for (const mode of ["worker", "thread"]) for (const line of done[mode]) console.log(`ok - ${mode}: ${line}`);
    console.log(`browser: ${done.worker.length + done.thread.length} checks passed in Chromium (${await context.browser()?.version?.() ?? "persistent context"})`);
    status = 0;
  } else {
    console.log(`not ok - ${done.error}`);
  }
} finally {
  await context.close();
  server.close();
  await fs.rm(userDataDir, { recursive: true, force: true });
}
process.exit(status);

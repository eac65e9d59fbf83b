// Runs the idbstore Go tests, compiled to WebAssembly, in Debian's Chromium
// (real IndexedDB) through playwright-core, which downloads no browser.
// Usage: node run.mjs <dir with index.html, wasm_exec.js, idbstore.test.wasm> [test flags…]
// Prints the test output and exits with the test binary's exit code. Pass
// -test.timeout: the Go side then ends a hung run itself (the wait here is
// only a backstop).
import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [dirArg, ...testArgs] = process.argv.slice(2);
const dir = path.resolve(dirArg);
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
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
const query = new URLSearchParams(testArgs.map((a) => ["arg", a]));
// IDBSTORE_DISKFULL=1 tells TestDiskFull to fill the disk under the profile,
// which should then be small (IDBSTORE_PROFILE_PARENT on a small tmpfs).
if (process.env.IDBSTORE_DISKFULL === "1") query.set("diskfull", "1");
const url = `http://127.0.0.1:${server.address().port}/index.html?${query}`;

// A fresh profile: IndexedDB starts empty and is on disk, as for a user.
const userDataDir = await fs.mkdtemp(path.join(process.env.IDBSTORE_PROFILE_PARENT || os.tmpdir(), "idbstore-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let status = 1;
try {
  const page = await context.newPage();
  console.log(`== idbstore in Chromium ${context.browser()?.version() ?? ""} (real IndexedDB)`.trimEnd());
  page.on("console", (m) => console.log(m.text()));
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__exit !== undefined, null, { timeout: 30 * 60_000, polling: 200 });
  status = await page.evaluate(() => window.__exit);
} finally {
  await context.close();
  server.close();
  await fs.rm(userDataDir, { recursive: true, force: true });
}
process.exit(status);

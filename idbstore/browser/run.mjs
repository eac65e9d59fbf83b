// Runs the idbstore Go tests, compiled to WebAssembly, in Debian's Chromium
// (real IndexedDB) through playwright-core, which downloads no browser.
// Usage: node run.mjs <dir with index.html, wasm_exec.js, idbstore.test.wasm> [test flags…]
// Prints the test output and exits with the test binary's exit code. Pass
// -test.timeout: the Go side then ends a hung run itself (the wait here is
// only a backstop).
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { launchChromium, serveDir } from "../../e2e/chromium.mjs";

const [dirArg, ...testArgs] = process.argv.slice(2);
const dir = path.resolve(dirArg);
const { server, origin } = await serveDir(dir);
const query = new URLSearchParams(testArgs.map((a) => ["arg", a]));
// IDBSTORE_DISKFULL=1 tells TestDiskFull to fill the disk under the profile,
// which should then be small (IDBSTORE_PROFILE_PARENT on a small tmpfs).
if (process.env.IDBSTORE_DISKFULL === "1") query.set("diskfull", "1");
const url = `${origin}/index.html?${query}`;

// A fresh profile: IndexedDB starts empty and is on disk, as for a user.
const { context, close } = await launchChromium(chromium, {
  prefix: "idbstore-chromium-",
  parent: process.env.IDBSTORE_PROFILE_PARENT || os.tmpdir(),
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
  await close();
  server.close();
}
process.exit(status);

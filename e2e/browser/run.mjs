// Serves a directory on 127.0.0.1 and runs index.html in Debian's Chromium
// through playwright-core (no browser download). Usage:
//   node run.mjs <dir> <path to playwright-core>
import path from "node:path";
import { createRequire } from "node:module";
import { launchChromium, serveDir } from "../chromium.mjs";

const [dirArg, playwrightPath] = process.argv.slice(2);
const dir = path.resolve(dirArg);
const { chromium } = createRequire(import.meta.url)(playwrightPath);

const { server, origin } = await serveDir(dir);
const url = `${origin}/index.html`;

const { context, close } = await launchChromium(chromium);
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
  await close();
  server.close();
}
process.exit(status);

// Browser benchmark of willow-web's IndexedDB store, driven through
// playwright-core in Debian's Chromium (not a test: it prints numbers).
// Build the page as scripts/test-persistence.sh does, then run
//   node e2e/persistence/bench.mjs <page dir> <path to playwright-core> [query total]
// or simply: bash scripts/bench-browser.sh [query total]. Prints, from one run:
//   1. ingest of 10,000 small signed entries (verify + index + store, one
//      call, Worker mode) vs raw IndexedDB put of the same encode_entry ‖
//      token bytes in one transaction, same page: time and ratio (goal ≥ 0.5);
//   2. the longest main-thread task during that ingest (goal < 50 ms);
//   3. an area query returning 1,000 of N entries (default 100,000) vs a
//      query of all N (a full scan): time and ratio.
import path from "node:path";
import { createRequire } from "node:module";
import { launchChromium, serveDir } from "../chromium.mjs";

const [dirArg, playwrightPath, totalArg] = process.argv.slice(2);
const total = Number(totalArg ?? 100_000);
const dir = path.resolve(dirArg);
const { chromium } = createRequire(import.meta.url)(playwrightPath);
const { server, origin } = await serveDir(dir);
const { context, close } = await launchChromium(chromium, { prefix: "willow-bench-" });
try {
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => window.__ready === true);
  const mode = await page.evaluate(() => t.init("worker"));
  const keys = await page.evaluate(() => t.keys());
  console.log(`Chromium ${context.browser()?.version() ?? "?"}, willow-web in ${mode} mode`);
  await page.evaluate((k) => t.sign(k, "a", "bench", 10_000), keys);
  const ing = await page.evaluate(() => t.benchIngest());
  const f = (x) => x.toFixed(1);
  console.log(`ingest 10,000 signed entries (${ing.bytes} B encoded): ${f(ing.ingestMs)} ms = ${Math.round(10_000 / (ing.ingestMs / 1000))} entries/s (${ing.inserted} inserted)`);
  console.log(`raw IndexedDB put of the same bytes, one transaction: ${f(ing.rawMs)} ms = ${Math.round(10_000 / (ing.rawMs / 1000))} entries/s`);
  // checkAuthorisedWrites verifies in Go alone, while Store.ingest hands the
  // signature equations of a batch to WebCrypto: the two do not subtract.
  console.log(`for comparison, strict verification in Go alone (checkAuthorisedWrites of the same batch, no WebCrypto, nothing stored): ${f(ing.verifyMs)} ms (${ing.refused} refused)`);
  console.log(`ratio ingest/raw throughput: ${(ing.rawMs / ing.ingestMs).toFixed(3)} (goal ≥ 0.5)`);
  console.log(`longest main-thread task during the ingest: ${f(ing.longestTaskMs)} ms, ${ing.longTasks} long tasks (goal < 50 ms; observer calibrated: ${ing.longtaskObserverWorks})`);
  const fill = await page.evaluate(([k, n]) => t.benchFill(k, n, 1000, 5000), [keys, total]);
  console.log(`filled a store with ${total} entries: signing ${f(fill.signMs / 1000)} s, ingest ${f(fill.ingestMs / 1000)} s (${Math.round(total / (fill.ingestMs / 1000))} entries/s in batches of 5,000)`);
  const q = await page.evaluate((k) => t.benchQuery(k, 3), keys);
  console.log(`area query: ${q.areaCount} of ${q.fullCount} entries in ${f(q.areaMs)} ms; full scan ${f(q.fullMs)} ms; area/full time ratio ${(q.areaMs / q.fullMs).toFixed(3)} (best of 3)`);
} finally {
  await close();
  server.close();
}

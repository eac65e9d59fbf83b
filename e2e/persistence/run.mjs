// Persistence tests of willow-web's IndexedDB stores in Debian's Chromium,
// through playwright-core (no browser download): reloads, several pages of
// one origin, a page closed mid-ingest, a tiny quota, a browser without Web
// Locks and BroadcastChannel. The page (page.js,
// bundled from the installed tarball) exposes window.t; this script drives it.
// Usage: node run.mjs <dir with index.html, bundle.js, willow.wasm> <path to playwright-core>
import path from "node:path";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { launchChromium, serveDir } from "../chromium.mjs";

const [dirArg, playwrightPath] = process.argv.slice(2);
const dir = path.resolve(dirArg);
const { chromium } = createRequire(import.meta.url)(playwrightPath);

const { server, origin } = await serveDir(dir);
const url = `${origin}/index.html`;

const { context, close } = await launchChromium(chromium, { prefix: "willow-persistence-" });

let failures = 0;
function check(ok, what, detail) {
  if (ok) console.log(`ok - ${what}`);
  else {
    failures++;
    console.log(`not ok - ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  }
}

async function openPage(mode) {
  const page = await context.newPage();
  page.on("console", (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  page.on("pageerror", (e) => console.log(`[page error] ${e}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__ready === true);
  await page.evaluate((mode) => window.t.init(mode), mode);
  return page;
}
const ev = (page, fn, arg) => page.evaluate(fn, arg);

async function reloadTest() {
  const page = await openPage("worker");
  const keys = await ev(page, () => t.keys());
  await ev(page, () => t.open("reload"));
  const t0 = Date.now();
  await ev(page, (k) => t.sign(k, "a", "r", 10_000), keys);
  const want = await ev(page, () => t.batchFingerprint());
  const t1 = Date.now();
  const counts = await ev(page, () => t.ingest());
  const t2 = Date.now();
  check(counts.inserted === 10_000, "10,000 signed entries ingested into IndexedDB in one batch", counts);
  const big = await ev(page, (k) => t.writeBig(k, "8mib", 8 << 20, 5), keys);
  check(big.inserted === 1 && big.payloadBytes === 8 << 20 && big.progressCalls > 8, "an 8 MiB payload streamed in as a drop of 64 KiB chunks", big);
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  await ev(page, () => t.init("worker"));
  await ev(page, () => t.open("reload"));
  const got = await ev(page, (k) => t.storeFingerprint(k), keys);
  const back = await ev(page, (k) => t.readBig(k, "8mib", 5), keys);
  // The store holds the 10,000 entries plus the big one.
  check(got.count === 10_001, "after a reload the store holds 10,001 entries", got);
  await ev(page, () => t.close());
  await ev(page, () => t.open("reload"));
  await ev(page, (k) => t.forgetBig(k, "8mib"), keys);
  const only = await ev(page, (k) => t.storeFingerprint(k), keys);
  check(only.count === 10_000 && only.sha256 === want.sha256, "the 10,000 entries and tokens read back identical (SHA-256 over encode_entry ‖ token)", { only, want });
  check(
    back.found && back.state === "complete" && back.length === 8 << 20 && back.same && back.digest === back.entryDigest && back.digest === big.digest,
    "after a reload the 8 MiB payload streams back byte for byte, its WILLIAM3 digest the entry's",
    back,
  );
  console.log(`# sign 10k ${t1 - t0} ms, ingest 10k ${t2 - t1} ms`);
  await ev(page, () => t.close());
  await page.close();
}

async function twoPagesTest() {
  // Page A runs the module in a Worker, page B on its own thread.
  const a = await openPage("worker");
  const b = await openPage("thread");
  const keys = await ev(a, () => t.keys());
  await ev(a, () => t.open("shared"));
  await ev(b, () => t.open("shared"));
  await ev(a, (k) => t.subscribe(k), keys);
  await ev(b, (k) => t.subscribe(k), keys);
  // Both sign 600 entries; paths overlap in prefix ("p/…" for A, "p/…" for B in its own subspace).
  await Promise.all([ev(a, (k) => t.sign(k, "a", "p", 600), keys), ev(b, (k) => t.sign(k, "b", "p", 600), keys)]);
  const [ra, rb] = await Promise.all([ev(a, () => t.batchRows()), ev(b, () => t.batchRows())]);
  const union = createHash("sha256").update([...ra, ...rb].sort().join("\n")).digest("hex");
  // A third page reads (newest first, several IndexedDB transactions per query) all the while.
  const c = await openPage("worker");
  await ev(c, () => t.open("shared"));
  const reading = ev(c, (k) => t.readWhile(k, "__stop"), keys);
  const [ca, cb] = await Promise.all([ev(a, () => t.ingest(20)), ev(b, () => t.ingest(20))]);
  await ev(c, () => (window.__stop = true));
  let reads;
  try {
    reads = await reading;
  } catch (err) {
    reads = String(err);
  }
  check(ca.inserted === 600 && cb.inserted === 600, "two pages ingest 600 entries each, concurrently, in batches of 20, without error", { ca, cb });
  check(typeof reads === "number" && reads > 0, "a third page's queries kept working during the writes", reads);
  const [ua, ub] = await Promise.all([ev(a, (k) => t.storeFingerprint(k), keys), ev(b, (k) => t.storeFingerprint(k), keys)]);
  check(ua.count === 1200 && ua.sha256 === union && ub.sha256 === union, "both pages see exactly the union of their 1,200 entries", { ua, ub, union });
  await new Promise((r) => setTimeout(r, 300));
  const [sa, sb] = await Promise.all([ev(a, () => t.seen), ev(b, () => t.seen)]);
  const remoteA = sa.filter((e) => e.remote && e.kind === "inserted").length;
  const localA = sa.filter((e) => !e.remote && e.kind === "inserted").length;
  const remoteB = sb.filter((e) => e.remote && e.kind === "inserted").length;
  check(remoteA === 600 && localA === 600, "page A's subscription saw its 600 inserts and page B's 600 (remote)", { remoteA, localA });
  check(remoteB === 600, "page B's subscription saw page A's 600 inserts (remote)", { remoteB });
  // Pruning across tabs: B writes /p, newer than everything, in its
  // subspace; A's writes must see it (no stale reads in A) and A's
  // subscription gets the 600 prunes.
  const future = BigInt(await ev(a, () => String(t.w.now()))) + 10n ** 12n;
  const kindB = await ev(b, ([k, ts]) => t.ingestOne(k, "b", ["p"], ts), [keys, String(future)]);
  const kindA = await ev(a, ([k, ts]) => t.ingestOne(k, "b", ["p", "000001"], ts), [keys, String(future - 1n)]);
  await new Promise((r) => setTimeout(r, 300));
  const prunedA = (await ev(a, () => t.seen)).filter((e) => e.remote && e.kind === "pruned").length;
  const left = await ev(a, (k) => t.storeFingerprint(k), keys);
  check(kindB === "inserted" && kindA === "obsolete" && left.count === 601, "a prefix entry written in page B prunes B's 600 entries, and page A's older write under it is obsolete", { kindB, kindA, left: left.count });
  check(prunedA === 600, "page A's subscription saw the 600 prunes made in page B", { prunedA });
  for (const p of [a, b, c]) {
    await ev(p, () => t.close());
    await p.close();
  }
}

async function closedMidIngestTest() {
  const a = await openPage("worker");
  const keys = await ev(a, () => t.keys());
  await ev(a, () => t.open("crash"));
  await ev(a, (k) => t.sign(k, "a", "before", 200), keys);
  await ev(a, () => t.ingest());
  const before = await ev(a, (k) => t.storeFingerprint(k), keys);
  const size = await ev(a, (k) => t.makeDrop(k, 500, 3 << 20), keys);
  await ev(a, () => t.slowIngest(5));
  // Close the page once the big payload is being written (the drop puts
  // the 500 small entries first, then the 3 MiB payload).
  await a.waitForFunction((n) => window.__fed > n, size - (2 << 20), { timeout: 120_000, polling: 20 });
  const progress = await ev(a, () => window.__fed);
  await a.close();
  check(progress > 0 && progress < size, "the page was closed in the middle of a drop ingest", { progress, size });
  const b = await openPage("worker");
  // The closed page had started the 3 MiB payload: its pending marker is
  // in the database until a store is opened on it again.
  const markers = await ev(b, () => t.rawKeys("crash", "0370"));
  check(markers === 1, "the interrupted ingest left its pending payload marker behind", markers);
  await ev(b, () => t.open("crash"));
  const after = await ev(b, (k) => t.storeFingerprint(k), keys);
  check(after.count === 200 && after.sha256 === before.sha256, "the store reopens as it was before the drop", { before, after });
  const pending = await ev(b, () => t.rawKeys("crash", "0370"));
  const data = await ev(b, () => t.rawKeys("crash", "0364"));
  check(pending === 0 && data === 0, "no pending payload marker or orphaned payload data is left after reopening", { pending, data });
  // The same drop ingests whole afterwards.
  await ev(b, (k) => t.makeDrop(k, 500, 3 << 20), keys);
  await ev(b, () => t.slowIngest(0));
  await b.waitForFunction(() => window.__ingested || window.__ingestError, null, { timeout: 120_000 });
  const err = await ev(b, () => window.__ingestError ?? null);
  const whole = await ev(b, (k) => t.storeFingerprint(k), keys);
  check(err === null && whole.count === 701, "the drop then ingests whole (701 entries)", { err, whole });
  await ev(b, () => t.close());
  await b.close();
}

async function quotaTest() {
  const a = await openPage("thread");
  const keys = await ev(a, () => t.keys());
  await ev(a, () => t.open("quota"));
  await ev(a, (k) => t.sign(k, "a", "q", 100), keys);
  await ev(a, () => t.ingest());
  const before = await ev(a, (k) => t.storeFingerprint(k), keys);
  const est = await ev(a, () => t.estimate());
  check(est.quota > 0 && est.usage > 0, "storageEstimate() reports usage and quota", est);
  const persisted = await ev(a, () => t.persist());
  check(typeof persisted === "boolean", "requestPersistentStorage() resolves with a boolean", persisted);
  // Chromium 156 ignores DevTools' Storage.overrideQuotaForOrigin for
  // IndexedDB (the page session accepts it and changes nothing, the browser
  // session fails), so the quota is simulated in the page: IndexedDB's put
  // throws QuotaExceededError once 1 MiB more is written. (idbstore's
  // TestDiskFull, IDBSTORE_DISKFULL=1, fills a real 48 MiB tmpfs.)
  await ev(a, () => t.limitWrites(1 << 20));
  const res = await ev(a, (k) => t.writeTooMuch(k, 4 << 20), keys);
  check(res.code === "quota_exceeded", "writing a 4 MiB payload past the quota fails with quota_exceeded", res);
  const after = await ev(a, (k) => t.storeFingerprint(k), keys);
  const pending = await ev(a, () => t.rawKeys("quota", "0370"));
  const data = await ev(a, () => t.rawKeys("quota", "0364"));
  check(after.sha256 === before.sha256 && pending === 0 && data === 0, "the store is unchanged after the quota error (entries, no payload data, no pending marker)", { before, after, pending, data });
  await ev(a, () => t.unlimit());
  const ok = await ev(a, (k) => t.writeTooMuch(k, 4 << 20), keys);
  check(ok.code === "ok", "with the quota restored the same write succeeds", ok);
  await ev(a, () => t.close());
  await a.close();
}

async function withoutLocksTest() {
  // Calling-thread mode, so that the module's realm (idbstore's commit
  // lock) lacks them too.
  const a = await openPage("thread");
  const hidden = await ev(a, () => t.hideLocks());
  const keys = await ev(a, () => t.keys());
  await ev(a, () => t.open("nolocks"));
  await ev(a, (k) => t.subscribe(k), keys);
  await ev(a, (k) => t.sign(k, "a", "n", 100), keys);
  const counts = await ev(a, () => t.ingest(10));
  const want = await ev(a, () => t.batchFingerprint());
  const got = await ev(a, (k) => t.storeFingerprint(k), keys);
  const seen = await ev(a, () => t.seen.length);
  check(hidden && counts.inserted === 100 && got.sha256 === want.sha256 && seen === 100, "without navigator.locks and BroadcastChannel the store still writes, reads and notifies in its own tab", { hidden, counts, seen });
  await ev(a, () => t.close());
  await a.close();
}

let status = 1;
try {
  const only = process.env.PERSISTENCE_ONLY; // a test name, for debugging
  for (const [name, test] of Object.entries({ reloadTest, twoPagesTest, closedMidIngestTest, quotaTest, withoutLocksTest })) {
    if (only && only !== name) continue;
    const start = Date.now();
    try {
      await test();
    } catch (err) {
      failures++;
      console.log(`not ok - ${name} threw: ${err?.stack ?? err}`);
    }
    console.log(`# ${name}: ${Date.now() - start} ms`);
  }
  status = failures === 0 ? 0 : 1;
  console.log(failures === 0 ? "persistence: all checks passed in Chromium" : `persistence: ${failures} checks failed`);
} finally {
  await close();
  server.close();
}
process.exit(status);

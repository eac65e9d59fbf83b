// Bundled by scripts/test-persistence.sh with esbuild from the installed
// willow-web tarball. The page does nothing by itself: run.mjs (and
// bench.mjs) drive it through window.t, across reloads and several pages.
import * as w from "willow-web";

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));

// Deterministic payload bytes: byte i of payload seed is (i * 31 + seed) & 255.
function payloadBytes(seed, from, to) {
  const out = new Uint8Array(to - from);
  for (let i = 0; i < out.length; i++) out[i] = ((from + i) * 31 + seed) & 255;
  return out;
}

const t = {
  w,
  store: null,
  batch: null,
  seen: [],
  async init(mode) {
    const info = await w.init(undefined, { worker: mode === "worker" });
    return info.mode;
  },
  async keys() {
    const ns = await w.generateCommunalNamespaceKeypair();
    const a = await w.generateSubspaceKeypair();
    const b = await w.generateSubspaceKeypair();
    return { ns: hex(ns.id), a: { id: hex(a.id), secret: hex(a.secret) }, b: { id: hex(b.id), secret: hex(b.secret) } };
  },
  async open(name) {
    t.store = await w.openIndexedDBStore(name);
    return true;
  },
  async close() {
    await t.store.close();
    t.store = null;
  },
  /** Signs n entries /prefix/000000… with payload "prefix i" into t.batch. */
  async sign(keys, who, prefix, n, { timestamp } = {}) {
    const ns = unhex(keys.ns);
    const user = keys[who];
    const cap = await w.Capability.communal(ns, unhex(user.id));
    const secret = unhex(user.secret);
    const batch = new Array(n);
    const base = timestamp === undefined ? w.now() : BigInt(timestamp);
    for (let i = 0; i < n; i++) {
      const entry = await w.Entry.builder()
        .namespaceId(ns)
        .subspaceId(unhex(user.id))
        .path(w.Path.from(prefix, String(i).padStart(6, "0")))
        .timestamp(base + BigInt(i))
        .payload(new TextEncoder().encode(`${prefix} ${i}`))
        .build();
      batch[i] = await w.authorise(entry, cap, secret);
    }
    t.batch = batch;
    return n;
  },
  /** Hides navigator.locks and BroadcastChannel from this realm (a browser without them). */
  hideLocks() {
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
    delete window.BroadcastChannel;
    return typeof navigator.locks === "undefined" && typeof BroadcastChannel === "undefined";
  },
  /** Signs and ingests one entry (payload "one") at path parts with timestamp; resolves with the outcome. */
  async ingestOne(keys, who, parts, timestamp) {
    const ns = unhex(keys.ns);
    const user = keys[who];
    const entry = await w.Entry.builder()
      .namespaceId(ns)
      .subspaceId(unhex(user.id))
      .path(w.Path.from(...parts))
      .timestamp(BigInt(timestamp))
      .payload(new TextEncoder().encode("one"))
      .build();
    const cap = await w.Capability.communal(ns, unhex(user.id));
    return (await t.store.ingest(await w.authorise(entry, cap, unhex(user.secret)))).kind;
  },
  /** Ingests t.batch in batches of size (default: all at once); resolves with the outcome counts. */
  async ingest(size) {
    const counts = {};
    size ??= t.batch.length;
    for (let i = 0; i < t.batch.length; i += size) {
      for (const r of await t.store.ingest(t.batch.slice(i, i + size))) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    }
    return counts;
  },
  /** SHA-256 over encode_entry ‖ token of items, sorted by encoding (order-free), and the count. */
  async fingerprint(items) {
    const codes = await w.encodeEntries(items.map((x) => x.entry));
    const rows = codes.map((c, i) => hex(c) + ":" + hex(items[i].token)).sort();
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rows.join("\n")));
    return { count: rows.length, sha256: hex(new Uint8Array(digest)) };
  },
  /** The sorted rows fingerprint() hashes, of t.batch. */
  async batchRows() {
    const codes = await w.encodeEntries(t.batch.map((x) => x.entry));
    return codes.map((c, i) => hex(c) + ":" + hex(t.batch[i].token)).sort();
  },
  async batchFingerprint() {
    return t.fingerprint(t.batch);
  },
  async storeFingerprint(keys, order = "path") {
    const items = await t.store.namespace(unhex(keys.ns)).entries(w.Area.full(), { order, pageSize: 1024 });
    return t.fingerprint(items);
  },
  async subscribe(keys) {
    t.seen = [];
    await t.store.namespace(unhex(keys.ns)).subscribe(w.Area.full(), (ev) => {
      t.seen.push({ kind: ev.kind, remote: ev.remote === true, path: ev.entry.path.toString() });
    });
    return true;
  },
  /** Queries newest first until stopped; resolves with how many queries ran (errors reject). */
  async readWhile(keys, flag) {
    let runs = 0;
    const space = t.store.namespace(unhex(keys.ns));
    while (!window[flag]) {
      await space.entries(w.Area.full(), { order: "newestFirst", maxCount: 50n });
      await space.get(unhex(keys.a.id), w.Path.from("x"));
      runs++;
    }
    return runs;
  },
  /**
   * Builds an entry of size bytes (payload seed) in a memory store and
   * streams it as a drop (64 KiB chunks) into the IndexedDB store.
   */
  async writeBig(keys, name, size, seed) {
    const ns = unhex(keys.ns);
    const user = keys.a;
    const mem = await w.openMemoryStore();
    const payload = payloadBytes(seed, 0, size);
    const entry = await w.Entry.builder().namespaceId(ns).subspaceId(unhex(user.id)).path(w.Path.from("big", name)).now().payload(payload).build();
    const cap = await w.Capability.communal(ns, unhex(user.id));
    const ae = await w.authorise(entry, cap, unhex(user.secret));
    await mem.ingest(ae);
    await mem.namespace(ns).writePayload(entry, payload);
    let chunks = 0;
    const drop = mem.createDrop([{ namespace: ns, area: w.Area.full() }], { plaintext: true, chunkSize: 64 << 10 });
    const result = await t.store.ingestDrop(drop, { onProgress: () => chunks++ });
    await mem.close();
    return { inserted: result.inserted, payloadBytes: Number(result.payloadBytes), progressCalls: chunks, digest: hex(entry.payloadDigest) };
  },
  async forgetBig(keys, name) {
    return t.store.namespace(unhex(keys.ns)).forgetEntry(unhex(keys.a.id), w.Path.from("big", name));
  },
  /** Reads the big entry back as a stream; checks bytes, length and WILLIAM3 digest. */
  async readBig(keys, name, seed) {
    const space = t.store.namespace(unhex(keys.ns));
    const got = await space.get(unhex(keys.a.id), w.Path.from("big", name));
    if (!got) return { found: false };
    const info = await space.payloadInfo(unhex(keys.a.id), w.Path.from("big", name));
    const h = await w.createHasher();
    let off = 0;
    let same = true;
    let chunks = 0;
    const reader = space.payloadStream(unhex(keys.a.id), w.Path.from("big", name), { chunkSize: 512 << 10 }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      const want = payloadBytes(seed, off, off + value.length);
      for (let i = 0; i < value.length; i++) if (value[i] !== want[i]) same = false;
      h.update(value);
      off += value.length;
    }
    const digest = hex(await h.digest());
    return { found: true, state: info.state, length: off, chunks, same, digest, entryDigest: hex(got.entry.payloadDigest) };
  },
  /**
   * A drop of n entries plus one payload of bigSize bytes, kept as bytes in
   * t.drop (for a slow ingest that the test interrupts).
   */
  async makeDrop(keys, n, bigSize) {
    const ns = unhex(keys.ns);
    const mem = await w.openMemoryStore();
    await t.sign(keys, "b", "drop", n);
    await mem.ingest(t.batch);
    const payload = payloadBytes(3, 0, bigSize);
    const entry = await w.Entry.builder().namespaceId(ns).subspaceId(unhex(keys.b.id)).path(w.Path.from("dropbig")).now().payload(payload).build();
    await mem.ingest(await w.authorise(entry, await w.Capability.communal(ns, unhex(keys.b.id)), unhex(keys.b.secret)));
    await mem.namespace(ns).writePayload(entry, payload);
    t.drop = new Uint8Array(await new Response(mem.createDrop([{ namespace: ns, area: w.Area.full() }], { plaintext: true })).arrayBuffer());
    await mem.close();
    return t.drop.length;
  },
  /** Ingests t.drop in 16 KiB chunks, pausing ms between them; window.__fed counts the bytes handed over. */
  slowIngest(ms) {
    window.__fed = 0;
    const drop = t.drop;
    let off = 0;
    const source = new ReadableStream({
      async pull(c) {
        if (off >= drop.length) return c.close();
        await new Promise((r) => setTimeout(r, ms));
        c.enqueue(drop.slice(off, off + (16 << 10)));
        off += 16 << 10;
        window.__fed = Math.min(off, drop.length);
      },
    });
    t.store.ingestDrop(source).then(
      () => (window.__ingested = true),
      (e) => (window.__ingestError = String(e)),
    );
    return true;
  },
  /** The keys of the raw IndexedDB database of store name whose first bytes are prefix. */
  async rawKeys(name, prefix) {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("willow-web:" + name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise((resolve, reject) => {
      const r = db.transaction("kv").objectStore("kv").getAllKeys();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    const p = unhex(prefix);
    return keys.filter((k) => typeof k !== "string" && p.every((b, i) => new Uint8Array(k)[i] === b)).length;
  },
  async estimate() {
    return w.storageEstimate();
  },
  async persist() {
    return w.requestPersistentStorage();
  },
  /**
   * Simulates a storage quota on this realm's IndexedDB (calling-thread
   * mode): once the values put exceed bytes in total, put throws a
   * QuotaExceededError as IndexedDB does when the origin is full.
   */
  limitWrites(bytes) {
    const put = IDBObjectStore.prototype.put;
    let left = bytes;
    IDBObjectStore.prototype.put = function (value, key) {
      const n = value instanceof ArrayBuffer ? value.byteLength : 0;
      if (n > left) throw new DOMException("simulated: the origin's quota is used up", "QuotaExceededError");
      left -= n;
      return put.call(this, value, key);
    };
    t.unlimit = () => {
      IDBObjectStore.prototype.put = put;
    };
    return true;
  },
  /** Tries to write a payload of size bytes for a new entry; resolves with the error code (or "ok"). */
  async writeTooMuch(keys, size) {
    const ns = unhex(keys.ns);
    const payload = payloadBytes(9, 0, size);
    const entry = await w.Entry.builder().namespaceId(ns).subspaceId(unhex(keys.a.id)).path(w.Path.from("toolarge")).now().payload(payload).build();
    const cap = await w.Capability.communal(ns, unhex(keys.a.id));
    const ae = await w.authorise(entry, cap, unhex(keys.a.secret));
    const mem = await w.openMemoryStore();
    await mem.ingest(ae);
    await mem.namespace(ns).writePayload(entry, payload);
    const drop = mem.createDrop([{ namespace: ns, area: w.Area.full() }], { plaintext: true });
    try {
      await t.store.ingestDrop(drop);
      return { code: "ok" };
    } catch (err) {
      return { code: err instanceof w.WillowError ? err.code : "not a WillowError: " + err, message: String(err.message) };
    } finally {
      await mem.close();
    }
  },
  // ---- Benchmark (bench.mjs) ----
  /**
   * Ingests t.batch into a fresh store in one call, watching the main thread
   * for long tasks; then puts the same encode_entry ‖ token bytes into a
   * plain IndexedDB object store in one transaction.
   */
  async benchIngest() {
    await w.deleteIndexedDBStore("bench-ingest");
    const store = await w.openIndexedDBStore("bench-ingest");
    const longest = { ms: 0, count: 0 };
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        longest.count++;
        longest.ms = Math.max(longest.ms, e.duration);
      }
    });
    obs.observe({ type: "longtask" });
    // A task that measures the observer itself: 60 ms of busy main thread.
    const s0 = performance.now();
    while (performance.now() - s0 < 60);
    await new Promise((r) => setTimeout(r, 50));
    const calibrated = longest.ms >= 55;
    longest.ms = 0;
    longest.count = 0;
    const t0 = performance.now();
    const results = await store.ingest(t.batch);
    const ingestMs = performance.now() - t0;
    // The verification part alone: the same tokens checked, nothing stored.
    const v0 = performance.now();
    const refused = (await w.checkAuthorisedWrites(t.batch)).filter((e) => e !== null).length;
    const verifyMs = performance.now() - v0;
    await new Promise((r) => setTimeout(r, 100));
    obs.disconnect();
    await store.close();
    const codes = await w.encodeEntries(t.batch.map((x) => x.entry));
    const values = codes.map((c, i) => {
      const v = new Uint8Array(c.length + t.batch[i].token.length);
      v.set(c);
      v.set(t.batch[i].token, c.length);
      return v;
    });
    await new Promise((resolve) => {
      const r = indexedDB.deleteDatabase("bench-raw");
      r.onsuccess = r.onerror = resolve;
    });
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("bench-raw", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("kv");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const r0 = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction("kv", "readwrite", { durability: "strict" });
      const os = tx.objectStore("kv");
      for (let i = 0; i < values.length; i++) os.put(values[i].buffer, i);
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    const rawMs = performance.now() - r0;
    db.close();
    return {
      inserted: results.filter((x) => x.kind === "inserted").length,
      ingestMs,
      verifyMs,
      refused,
      rawMs,
      bytes: values.reduce((n, v) => n + v.length, 0),
      longestTaskMs: longest.ms,
      longTasks: longest.count,
      longtaskObserverWorks: calibrated,
    };
  },
  /** Signs total entries, hits of them under /hit, the rest under /miss, and ingests them into a fresh store in batches. */
  async benchFill(keys, total, hits, batchSize) {
    await w.deleteIndexedDBStore("bench-query");
    t.store = await w.openIndexedDBStore("bench-query");
    const ns = unhex(keys.ns);
    const cap = await w.Capability.communal(ns, unhex(keys.a.id));
    const secret = unhex(keys.a.secret);
    const base = w.now();
    let signMs = 0;
    let ingestMs = 0;
    for (let i = 0; i < total; i += batchSize) {
      const s0 = performance.now();
      const batch = [];
      for (let j = i; j < Math.min(total, i + batchSize); j++) {
        const p = j < hits ? w.Path.from("hit", String(j).padStart(6, "0")) : w.Path.from("miss", String(j).padStart(6, "0"));
        const entry = await w.Entry.builder().namespaceId(ns).subspaceId(unhex(keys.a.id)).path(p).timestamp(base + BigInt(j)).payload(new TextEncoder().encode(`e ${j}`)).build();
        batch.push(await w.authorise(entry, cap, secret));
      }
      const s1 = performance.now();
      await t.store.ingest(batch);
      ingestMs += performance.now() - s1;
      signMs += s1 - s0;
    }
    return { signMs, ingestMs };
  },
  async benchQuery(keys, rounds) {
    const space = t.store.namespace(unhex(keys.ns));
    const area = new w.Area({ path: w.Path.from("hit") });
    let areaMs = Infinity;
    let fullMs = Infinity;
    let areaCount = 0;
    let fullCount = 0;
    for (let r = 0; r < rounds; r++) {
      let s0 = performance.now();
      areaCount = (await space.entries(area, { pageSize: 1024 })).length;
      areaMs = Math.min(areaMs, performance.now() - s0);
      s0 = performance.now();
      fullCount = (await space.entries(w.Area.full(), { pageSize: 1024 })).length;
      fullMs = Math.min(fullMs, performance.now() - s0);
    }
    return { areaMs, areaCount, fullMs, fullCount };
  },
};
window.t = t;
window.__ready = true;

// Bundled by scripts/test-web.sh with esbuild from the installed willow-web
// tarball; runs in Chromium in Worker mode and in calling-thread mode and
// reports to window.__done.
import * as w from "willow-web";

const enc = (s) => new TextEncoder().encode(s);

async function scenario(mode) {
  const log = [];
  const check = (ok, what) => {
    if (!ok) throw new Error(`${mode}: ${what}`);
    log.push(what);
  };
  const info = await w.init(undefined, { worker: mode === "worker" });
  check(info.mode === mode, `runs in ${info.mode}`);

  const ns = await w.generateOwnedNamespaceKeypair();
  const alice = await w.generateSubspaceKeypair();
  const bob = await w.generateSubspaceKeypair();
  check(w.isOwnedNamespace(ns.id), "owned namespace key");
  const root = await w.Capability.owned(ns.secret, alice.id);
  const cap = await root.delegate(alice.secret, w.Area.subspace(bob.id), bob.id);
  check(await cap.isValid(), "delegated capability is valid");

  const store = await w.openMemoryStore();
  const space = store.namespace(ns.id);
  const seen = [];
  await space.subscribe(w.Area.full(), (ev) => seen.push(ev.kind));
  const batch = [];
  for (let i = 0; i < 300; i++) {
    const entry = await w.Entry.builder()
      .namespaceId(ns.id)
      .subspaceId(bob.id)
      .path(w.Path.from("chat", String(i).padStart(3, "0")))
      .now()
      .payload(enc(`message ${i}`))
      .build();
    batch.push(await w.authorise(entry, cap, bob.secret));
  }
  const results = await space.ingest(batch);
  check(results.every((r) => r.kind === "inserted"), "300 signed entries ingested");
  let n = 0;
  for await (const { entry } of space.query(w.Area.full(), { pageSize: 64 })) {
    if (!entry.equals(batch[n].entry)) throw new Error(`${mode}: query result ${n} differs`);
    n++;
  }
  check(n === 300, "queried back in 5 pages");
  check(seen.length === 300 && seen.every((k) => k === "inserted"), "300 events delivered");
  const forged = { entry: batch[0].entry, token: batch[1].token };
  try {
    await space.ingest(forged);
    check(false, "forged token refused");
  } catch (err) {
    check(err instanceof w.WillowError && err.code === "invalid_entry_signature", "forged token refused with invalid_entry_signature");
  }
  // A batch of 20 (verified with WebCrypto Ed25519 where Chromium has it):
  // a forged signature and an S + L one are refused, naming item 7.
  check(typeof crypto.subtle.verify === "function", "WebCrypto present");
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const tweaks = {
    forged: (sig) => (sig[40] ^= 1),
    "S + L": (sig) => {
      let s = 0n;
      for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
      s += L;
      for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 0xffn);
    },
  };
  for (const [name, f] of Object.entries(tweaks)) {
    const bad = batch.slice(0, 20).map((x) => ({ entry: x.entry, token: x.token }));
    const token = bad[7].token.slice();
    f(token.subarray(token.length - 64));
    bad[7] = { entry: bad[7].entry, token };
    try {
      await space.ingest(bad);
      check(false, `batch with a ${name} signature refused`);
    } catch (err) {
      check(err instanceof w.WillowError && err.code === "invalid_entry_signature" && err.message.startsWith("item 7:"), `batch of 20 with a ${name} signature refused at item 7`);
    }
  }
  const big = new Uint8Array(1 << 20).fill(7);
  const h = await w.createHasher();
  h.update(big.subarray(0, 1000)).update(big.subarray(1000));
  const d1 = await h.digest(), d2 = await w.hash(big);
  check(d1.every((b, i) => b === d2[i]), "incremental hash equals one-shot hash of 1 MiB");
  // The pure-Go path's digest (full chunks take the hand-written module here).
  const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  check(hexOf(d2) === "688c474eee8dbc43fe035bec24acc74f856a250d03f6311e0b1605a3d987928b", "WILLIAM3 of 1 MiB matches the pure-Go digest");
  // Payloads and a drop, streamed out of one store and into another.
  const payload = new Uint8Array(150_000).map((_, i) => i & 0xff);
  const bigEntry = await w.Entry.builder().namespaceId(ns.id).subspaceId(bob.id).path(w.Path.from("files", "big")).now().payload(payload).build();
  const bigAuth = await w.authorise(bigEntry, cap, bob.secret);
  await space.ingest(bigAuth);
  await space.writePayload(bigEntry, payload);
  const drop = store.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true, chunkSize: 32 << 10 });
  const other = await w.openMemoryStore();
  let progressCalls = 0;
  const result = await other.ingestDrop(drop, { onProgress: () => progressCalls++ });
  check(result.items === 301 && result.inserted === 301 && progressCalls > 0, "a drop of 301 items streamed from one store into another");
  const back = await other.namespace(ns.id).readPayload(bob.id, w.Path.from("files", "big"));
  check(back.length === payload.length && back.every((b, i) => b === payload[i]), "the 150 kB payload arrived intact");
  await other.close();

  // A sealed drop (age, loaded lazily in the browser) into a second store.
  const carol = await w.generateSubspaceKeypair();
  const sealed = new Uint8Array(await new Response(store.createDrop([{ namespace: ns.id, area: w.Area.full() }], { sealTo: [carol.id] })).arrayBuffer());
  check(new TextDecoder().decode(sealed.subarray(0, 22)) === "age-encryption.org/v1\n", "a drop sealed in the browser is an age file");
  const second = await w.openMemoryStore();
  try {
    await second.ingestDrop(sealed, { identities: [bob.secret] });
    check(false, "a wrong identity is refused");
  } catch (err) {
    check(err instanceof w.WillowError && err.code === "no_matching_identity", "a wrong identity is refused (no_matching_identity)");
  }
  const opened = await second.ingestDrop(new Blob([sealed]).stream(), { identities: [carol.secret] });
  check(opened.sealed && opened.inserted === 301, "the sealed drop opens with the recipient's subspace secret into a second store");
  await second.close();

  // A persistent store in IndexedDB survives closing and reopening.
  const dbName = `e2e-${mode}-${Date.now()}`;
  let idb = await w.openIndexedDBStore(dbName);
  const persisted = await idb.namespace(ns.id).ingest(batch.slice(0, 50));
  check(persisted.every((r) => r.kind === "inserted"), "50 entries ingested into an IndexedDB store");
  await idb.close();
  idb = await w.openIndexedDBStore(dbName);
  const reread = await idb.namespace(ns.id).entries(w.Area.full(), { pageSize: 16 });
  check(reread.length === 50 && reread[49].entry.equals(batch[49].entry), "all 50 read back after reopening");
  await idb.close();
  await w.deleteIndexedDBStore(dbName);
  idb = await w.openIndexedDBStore(dbName);
  check((await idb.namespace(ns.id).entries(w.Area.full())).length === 0, "deleted store reopens empty");
  await idb.close();
  await w.deleteIndexedDBStore(dbName);

  await store.close();
  w.shutdown();
  return log;
}

(async () => {
  try {
    const worker = await scenario("worker");
    const thread = await scenario("thread");
    window.__done = { ok: true, worker, thread };
  } catch (err) {
    window.__done = { ok: false, error: String(err && err.stack ? err.stack : err) };
  }
})();

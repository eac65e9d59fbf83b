// The willow-web package as a user gets it: installed from the npm pack
// tarball into a fresh project (scripts/test-web.sh), run in-process in Node.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as w from "willow-web";

const enc = (s) => new TextEncoder().encode(s);
const hex = (b) => Buffer.from(b).toString("hex");

/** Asserts that fn (sync or async) throws a WillowError with the code. */
async function rejects(fn, code) {
  await assert.rejects(
    async () => fn(),
    (err) => {
      assert.ok(err instanceof w.WillowError, `expected a WillowError, got ${err}`);
      assert.equal(err.code, code, err.message);
      return true;
    },
  );
}

before(async () => {
  const info = await w.init();
  assert.equal(info.mode, "thread");
  assert.equal(info.protocolVersion, 1);
  assert.match(info.goVersion, /^go1\./);
});

test("init accepts bytes and a compiled module, returning the first instance", async () => {
  const again = await w.init(new Uint8Array([0, 1, 2]));
  assert.equal(again.mode, "thread");
});

test("paths", async () => {
  const p = w.Path.from("blog", enc("posts"), "1");
  assert.equal(p.length, 3);
  assert.equal(p.totalLength, 10);
  assert.equal(p.toString(), "/blog/posts/1");
  assert.ok(p.prefix(2).isPrefixOf(p));
  assert.ok(p.isPrefixedBy(w.Path.from("blog")));
  assert.equal(w.Path.from("a").compare(w.Path.from("a", "")), -1);
  assert.equal(w.Path.from("b").compare(w.Path.from("a", "z")), 1);
  assert.ok(w.Path.empty().equals(w.Path.from()));
  assert.equal(w.Path.from(new Uint8Array([0x2f, 0])).toString(), "/%2F%00");
  const code = await w.encodePath(p);
  assert.equal(hex(code), "a3" + "04" + hex(enc("blog")) + "05" + hex(enc("posts")) + hex(enc("1")));
  assert.ok((await w.decodePath(code)).equals(p));
  const many = await w.encodePaths([p, w.Path.empty()]);
  assert.deepEqual((await w.decodePaths(many)).map(String), ["/blog/posts/1", "<empty>"]);
  // Bad input.
  assert.throws(() => w.Path.from(new Uint8Array(4097)), (e) => e.code === "path_limit");
  assert.throws(() => w.Path.from("a".repeat(2048), "b".repeat(2049)), (e) => e.code === "path_limit");
  assert.throws(() => w.Path.from(42), (e) => e.code === "invalid_argument");
  await rejects(() => w.decodePath(code.subarray(0, code.length - 1)), "truncated");
  await rejects(() => w.decodePath(new Uint8Array([...code, 0])), "trailing_bytes");
  // Header 0xc1: a one-byte total length of 1, which fits inline: not canonic.
  await rejects(() => w.decodePath(new Uint8Array([0xc1, 0x01, 0x61])), "non_canonic");
});

test("timestamps", () => {
  // 2017-01-01T00:00:00Z: 37 leap seconds, J2000 at 946727967.816 TAI.
  assert.equal(w.timestampFromDate(new Date("2017-01-01T00:00:00Z")), 1483228800_000000n + 37_000000n - 946727967_816000n);
  const t = w.now();
  assert.ok(t > 800_000_000_000_000n);
  const d = w.dateFromTimestamp(t);
  assert.ok(Math.abs(d.getTime() - Date.now()) < 5000);
  assert.throws(() => w.timestampFromDate(new Date("1999-01-01")), (e) => e.code === "invalid_argument");
});

test("ranges, areas and areas of interest", () => {
  const r = new w.TimeRange(10n, 20n);
  assert.ok(r.includes(10n) && r.includes(19n) && !r.includes(20n));
  assert.ok(w.TimeRange.full().includesRange(r));
  assert.equal(r.intersect(new w.TimeRange(20n)), null);
  assert.ok(r.intersect(new w.TimeRange(15n)).equals(new w.TimeRange(15n, 20n)));
  assert.throws(() => new w.TimeRange(5n, 5n), (e) => e.code === "empty_grouping");
  assert.throws(() => new w.TimeRange(5), (e) => e.code === "invalid_argument");
  const s1 = new Uint8Array(32), s2 = new Uint8Array(32).fill(0xff);
  assert.ok(new w.SubspaceRange(s1, s2).includes(new Uint8Array(32).fill(7)));
  assert.ok(new w.PathRange(w.Path.from("a"), w.Path.from("b")).includes(w.Path.from("a", "z")));
  const e = new w.Entry({ namespaceId: s1, subspaceId: s1, path: w.Path.from("a", "b"), timestamp: 15n, payloadLength: 0n, payloadDigest: s1 });
  const area = new w.Area({ subspace: s1, path: w.Path.from("a"), times: r });
  assert.ok(area.includes(e));
  assert.ok(!w.Area.subspace(s2).includes(e));
  assert.ok(w.Area.full().includesArea(area));
  assert.ok(area.intersect(w.Area.subspace(s2)) === null);
  assert.ok(area.intersect(w.Area.full()).equals(area));
  const aoi = new w.AreaOfInterest(area, { maxCount: 3n });
  assert.ok(aoi.includes(e));
  assert.equal(aoi.maxSize, w.UNLIMITED);
  assert.throws(() => new w.AreaOfInterest(area, { maxCount: 0n }), (e) => e.code === "empty_grouping");
  assert.throws(() => new w.Area({ subspace: new Uint8Array(31) }), (e) => e.code === "invalid_argument");
});

test("area in area encoding", async () => {
  const outer = w.Area.full();
  const inner = new w.Area({ path: w.Path.from("x"), times: new w.TimeRange(5n, 100n) });
  const code = await w.encodeAreaInArea(inner, outer);
  assert.ok((await w.decodeAreaInArea(code, outer)).equals(inner));
  await rejects(() => w.encodeAreaInArea(outer, inner), "not_included");
  await rejects(() => w.decodeAreaInArea(code.subarray(0, 2), outer), "truncated");
});

test("keys and signatures", async () => {
  const sub = await w.generateSubspaceKeypair();
  const communal = await w.generateCommunalNamespaceKeypair();
  const owned = await w.generateOwnedNamespaceKeypair();
  assert.equal(sub.id.length, 32);
  assert.equal(sub.secret.length, 32);
  assert.ok(w.isCommunalNamespace(communal.id));
  assert.ok(w.isOwnedNamespace(owned.id));
  assert.deepEqual(await w.publicKeyFromSecret(sub.secret), sub.id);
  const sig = await w.sign(sub.secret, enc("hello"));
  assert.equal(sig.length, 64);
  assert.equal(await w.verify(sub.id, enc("hello"), sig), true);
  assert.equal(await w.verify(sub.id, enc("hellO"), sig), false);
  const bad = sig.slice();
  bad[63] ^= 0x80;
  assert.deepEqual(
    await w.verifyBatch([
      { publicKey: sub.id, message: enc("hello"), signature: sig },
      { publicKey: sub.id, message: enc("hello"), signature: bad },
    ]),
    [true, false],
  );
  await rejects(() => w.sign(new Uint8Array(31), enc("x")), "invalid_argument");
  await rejects(() => w.verify(sub.id, enc("x"), new Uint8Array(63)), "invalid_argument");
});

test("WILLIAM3", async () => {
  // Willow'25: the default payload digest is WILLIAM3 of the empty string.
  assert.equal(hex(await w.hash(new Uint8Array(0))), "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2");
  const data = new Uint8Array(5000).map((_, i) => i * 7);
  const h = await w.createHasher();
  h.update(data.subarray(0, 1)).update(data.subarray(1, 3000)).update(data.subarray(3000));
  assert.deepEqual(await h.digest(), await w.hash(data));
  // Full chunks go through the hand-written compression module in the package's
  // build; these digests come from the pure-Go path (native go test of core/bab).
  const big = new Uint8Array(3 * 1024 * 1024 + 517).map((_, i) => i * 31);
  assert.equal(hex(await w.hash(big)), "4f86f458564d249ad5178515690b66d5b23f267a21f458bccc9e5e67127fc7f0");
  assert.equal(hex(await w.hash(new Uint8Array(1 << 20).fill(7))), "688c474eee8dbc43fe035bec24acc74f856a250d03f6311e0b1605a3d987928b");
  const hb = await w.createHasher();
  for (let off = 0; off < big.length; off += 70_001) hb.update(big.subarray(off, off + 70_001));
  assert.equal(hex(await hb.digest()), "4f86f458564d249ad5178515690b66d5b23f267a21f458bccc9e5e67127fc7f0");
  await hb.dispose();
  // Small updates are gathered in JS and sent 1 MiB at a time: order across
  // gathered and directly sent (≥ 1 MiB) updates, a digest in the middle,
  // and data copied at update time (the caller may reuse its buffer).
  const hc = await w.createHasher();
  const scratch = new Uint8Array(4096);
  let off = 0;
  for (; off < 1_500_000; off += scratch.length) {
    scratch.set(big.subarray(off, off + scratch.length));
    hc.update(scratch);
    scratch.fill(0xee);
  }
  assert.deepEqual(await hc.digest(), await w.hash(big.subarray(0, off)));
  hc.update(big.subarray(off, off + 10)).update(big.subarray(off + 10, off + 10 + (1 << 20) + 3));
  hc.update(big.subarray(off + 10 + (1 << 20) + 3));
  assert.equal(hex(await hc.digest()), "4f86f458564d249ad5178515690b66d5b23f267a21f458bccc9e5e67127fc7f0");
  await hc.dispose();
  const hd = await w.createHasher();
  hd.update(big.subarray(0, 2 << 20)).update(big.subarray(2 << 20, (2 << 20) + 5)).update(big.subarray((2 << 20) + 5));
  assert.equal(hex(await hd.digest()), "4f86f458564d249ad5178515690b66d5b23f267a21f458bccc9e5e67127fc7f0");
  await hd.dispose();
  await h.dispose();
  await rejects(() => h.digest(), "closed");
  assert.throws(() => h.update(new Uint8Array(1)), (e) => e.code === "closed");
  await rejects(() => w.hash("text"), "invalid_argument");
});

test("entries: builder, encoding and order", async () => {
  const ns = await w.generateCommunalNamespaceKeypair();
  const ss = await w.generateSubspaceKeypair();
  const e = await w.Entry.builder().namespaceId(ns.id).subspaceId(ss.id).path(w.Path.from("a")).now().payload(enc("payload")).build();
  assert.equal(e.payloadLength, 7n);
  assert.deepEqual(e.payloadDigest, await w.hash(enc("payload")));
  const code = await w.encodeEntry(e);
  assert.ok((await w.decodeEntry(code)).equals(e));
  const later = new w.Entry({ ...e, timestamp: e.timestamp + 1n });
  assert.ok(later.isNewerThan(e) && later.prunes(e) && !e.prunes(later));
  const batch = await w.encodeEntries([e, later]);
  const decoded = await w.decodeEntries(batch);
  assert.ok(decoded[1].equals(later));
  await rejects(() => w.Entry.builder().namespaceId(ns.id).build(), "invalid_argument");
  assert.throws(() => w.Entry.builder().namespaceId(new Uint8Array(33)), (e) => e.code === "invalid_argument");
  assert.throws(() => new w.Entry({ ...e, timestamp: -1n }), (e) => e.code === "invalid_argument");
  await rejects(() => w.decodeEntry(code.subarray(0, 98)), "truncated");
  await rejects(() => w.decodeEntries([code, code.subarray(0, 10)]), "truncated");
  // A non-minimal standalone timestamp (0xfc 0x05 for 5) is not canonic.
  const nc = await w.encodeEntry(new w.Entry({ ...e, path: w.Path.empty(), timestamp: 5n }));
  const at = 64 + 1; // after ids and the empty path's header
  const nonCanonic = new Uint8Array([...nc.subarray(0, at), 0xfc, 5, ...nc.subarray(at + 1)]);
  await rejects(() => w.decodeEntry(nonCanonic), "non_canonic");
});

test("capabilities: communal, owned, delegation, authorisation", async () => {
  const communal = await w.generateCommunalNamespaceKeypair();
  const owned = await w.generateOwnedNamespaceKeypair();
  const alice = await w.generateSubspaceKeypair();
  const bob = await w.generateSubspaceKeypair();

  const cc = await w.Capability.communal(communal.id, alice.id);
  assert.equal(cc.isOwned, false);
  assert.equal(cc.accessMode, "write");
  assert.deepEqual(cc.receiver, alice.id);
  assert.ok(cc.grantedArea.equals(w.Area.subspace(alice.id)));
  assert.equal(await cc.isValid(), true);
  await rejects(() => w.Capability.communal(owned.id, alice.id), "namespace_kind");

  const oc = await w.Capability.owned(owned.secret, alice.id);
  assert.ok(oc.isOwned && oc.initialAuthorisation.length === 64);
  await oc.validate();
  const blogArea = new w.Area({ subspace: bob.id, path: w.Path.from("blog") });
  const dc = await oc.delegate(alice.secret, blogArea, bob.id);
  assert.equal(dc.delegations.length, 1);
  assert.deepEqual(dc.receiver, bob.id);
  assert.ok(dc.grantedArea.equals(blogArea));
  assert.ok((await w.Capability.decode(dc.bytes)).grantedArea.equals(blogArea));
  await rejects(() => oc.delegate(bob.secret, blogArea, bob.id), "wrong_secret");
  await rejects(() => dc.delegate(bob.secret, w.Area.full(), alice.id), "area_not_included");
  const again = await w.Capability.fromInitialAuthorisation(owned.id, alice.id, oc.initialAuthorisation);
  assert.deepEqual(again.bytes, oc.bytes);
  await rejects(() => w.Capability.fromInitialAuthorisation(owned.id, bob.id, oc.initialAuthorisation), "invalid_initial_authorisation");

  // A forged delegation signature makes the capability invalid.
  const forged = dc.bytes.slice();
  forged[forged.length - 1] ^= 1;
  const fc = await w.Capability.decode(forged);
  await rejects(() => fc.validate(), "invalid_delegation_signature");
  await rejects(() => w.Capability.decode(dc.bytes.subarray(0, 40)), "truncated");

  const entry = await w.Entry.builder().namespaceId(owned.id).subspaceId(bob.id).path(w.Path.from("blog", "1")).now().payload(enc("x")).build();
  const ae = await w.authorise(entry, dc, bob.secret);
  assert.equal(await w.isAuthorisedWrite(entry, ae.token), true);
  await w.verifyAuthorisation(entry, ae.token);
  const tok = await w.decodeToken(ae.token);
  assert.deepEqual(tok.capability.bytes, dc.bytes);
  assert.equal(tok.signature.length, 64);

  const outside = new w.Entry({ ...entry, path: w.Path.from("notes") });
  await rejects(() => w.authorise(outside, dc, bob.secret), "entry_outside_area");
  await rejects(() => w.authorise(entry, dc, alice.secret), "wrong_secret");
  const readCap = await w.Capability.communal(communal.id, alice.id, "read");
  await rejects(() => w.authorise(entry, readCap, alice.secret), "not_write_capability");

  const forgedToken = ae.token.slice();
  forgedToken[forgedToken.length - 1] ^= 1;
  await rejects(() => w.verifyAuthorisation(entry, forgedToken), "invalid_entry_signature");
  const other = new w.Entry({ ...entry, timestamp: entry.timestamp + 1n });
  const results = await w.checkAuthorisedWrites([ae, { entry: other, token: ae.token }, { entry, token: ae.token.subarray(0, 5) }]);
  assert.equal(results[0], null);
  assert.equal(results[1].code, "invalid_entry_signature");
  assert.equal(results[2].code, "truncated");
});

test("memory store: ingest, preview, get, query, forget, subscribe", async () => {
  const ns = await w.generateCommunalNamespaceKeypair();
  const alice = await w.generateSubspaceKeypair();
  const cap = await w.Capability.communal(ns.id, alice.id);
  const store = await w.openMemoryStore();
  const space = store.namespace(ns.id);
  const events = [];
  const sub = await space.subscribe(w.Area.full(), (ev) => events.push(ev));

  const make = async (path, ts, payload) =>
    w.authorise(
      await w.Entry.builder().namespaceId(ns.id).subspaceId(alice.id).path(path).timestamp(ts).payload(enc(payload)).build(),
      cap,
      alice.secret,
    );
  const batch = [];
  for (let i = 0; i < 600; i++) batch.push(await make(w.Path.from("notes", String(i).padStart(4, "0")), 1000n + BigInt(i), "n" + i));
  const results = await space.ingest(batch);
  assert.equal(results.length, 600);
  assert.ok(results.every((r) => r.kind === "inserted" && r.pruned.length === 0));
  assert.equal(events.length, 600);

  const dup = await space.ingest(batch[3]);
  assert.equal(dup.kind, "alreadyPresent");
  assert.ok(dup.existing.equals(batch[3].entry));

  // A newer entry at a prefix prunes; preview says so first without changing anything.
  const pruner = await make(w.Path.from("notes"), 5000n, "all gone");
  const preview = await space.preview(pruner.entry);
  assert.equal(preview.kind, "inserted");
  assert.equal(preview.pruned.length, 600);
  assert.equal((await space.entries(w.Area.full())).length, 600);
  const old = await make(w.Path.from("notes", "x"), 1n, "old");
  assert.equal((await space.preview(old.entry)).kind, "inserted");

  // Pages: 600 entries in pages of 256, in path order.
  let n = 0, prev = null;
  for await (const { entry, token } of space.query(w.Area.full(), { pageSize: 256 })) {
    if (prev) assert.equal(prev.path.compare(entry.path), -1);
    assert.ok(token instanceof Uint8Array && token.length > 64);
    prev = entry;
    n++;
  }
  assert.equal(n, 600);
  const newest = await space.entries(w.Area.full(), { order: "newestFirst", maxCount: 3n });
  assert.deepEqual(newest.map((x) => x.entry.timestamp), [1599n, 1598n, 1597n]);
  const aoi = new w.AreaOfInterest(w.Area.full(), { maxCount: 2n });
  assert.equal((await space.entries(aoi, { order: "oldestFirst" })).length, 2);
  // Breaking early closes the query session.
  for await (const _ of space.query(w.Area.full(), { pageSize: 10 })) break;
  const window = new w.Area({ times: new w.TimeRange(1100n, 1110n) });
  assert.equal((await space.entries(window)).length, 10);

  const got = await space.get(alice.id, w.Path.from("notes", "0007"));
  assert.ok(got.entry.equals(batch[7].entry));
  assert.deepEqual(got.token, batch[7].token);
  assert.equal(await space.get(alice.id, w.Path.from("nope")), null);

  const inserted = await space.ingest(pruner);
  assert.equal(inserted.kind, "inserted");
  assert.equal(inserted.pruned.length, 600);
  assert.equal((await space.ingest(old)).kind, "obsolete");
  assert.equal(events.filter((e) => e.kind === "pruned").length, 600);
  assert.ok(events.find((e) => e.kind === "pruned").by.equals(pruner.entry));

  assert.equal(await space.forgetEntry(alice.id, w.Path.from("notes")), true);
  assert.equal(await space.forgetEntry(alice.id, w.Path.from("notes")), false);
  assert.equal(events.at(-1).kind, "forgotten");
  await space.ingest(pruner);
  assert.equal(await space.forgetArea(w.Area.full()), 1);
  assert.equal(events.at(-1).kind, "forgotten");
  assert.equal((await space.entries(w.Area.full())).length, 0);
  await sub.cancel();
  await space.ingest(batch[0]);
  assert.equal(events.at(-1).kind, "forgotten");

  // Bad input: forged tokens, wrong namespaces, truncated tokens; nothing is written.
  const forged = { entry: batch[1].entry, token: batch[1].token.slice() };
  forged.token[forged.token.length - 1] ^= 1;
  await rejects(() => space.ingest([batch[2], forged]), "invalid_entry_signature");
  assert.equal(await space.get(alice.id, batch[2].entry.path), null);
  await rejects(() => space.ingest({ entry: batch[2].entry, token: batch[2].token.subarray(0, 20) }), "truncated");

  // Batches of 16 or more have their signatures verified by WebCrypto (Node
  // 20 has Ed25519): a forged one is still refused with its typed error and
  // index, and so are strictness failures (S + L, a small-order R), which the
  // module refuses before WebCrypto is asked. Nothing of the batch is written.
  const key = await crypto.subtle.importKey("raw", alice.id, { name: "Ed25519" }, false, ["verify"]);
  assert.ok(await crypto.subtle.verify({ name: "Ed25519" }, key, batch[5].token.subarray(-64), (await w.encodeEntries([batch[5].entry]))[0]));
  const big = batch.slice(100, 120);
  const withSig = (item, f) => {
    const token = item.token.slice();
    f(token.subarray(token.length - 64));
    return { entry: item.entry, token };
  };
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const cases = {
    forged: (sig) => (sig[40] ^= 1),
    "S + L": (sig) => {
      let s = 0n;
      for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
      s += L;
      for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 0xffn);
    },
    "small-order R": (sig) => sig.set([1, ...new Array(31).fill(0)], 0),
  };
  for (const [name, f] of Object.entries(cases)) {
    const bad = big.slice();
    bad[7] = withSig(big[7], f);
    await assert.rejects(
      () => space.ingest(bad),
      (err) => err instanceof w.WillowError && err.code === "invalid_entry_signature" && err.message.startsWith("item 7:"),
      name,
    );
    assert.equal(await space.get(alice.id, big[0].entry.path), null, name);
  }
  const bigResults = await space.ingest(big);
  assert.ok(bigResults.every((r) => r.kind === "inserted"));
  const otherNs = await w.generateCommunalNamespaceKeypair();
  await rejects(() => store.namespace(otherNs.id).ingest(batch[2]), "namespace_mismatch");
  await rejects(() => space.entries(w.Area.full(), { order: "sideways" }), "invalid_argument");
  await rejects(() => space.entries(w.Area.full(), { maxCount: 0n }), "empty_grouping");

  await store.close();
  await rejects(() => space.get(alice.id, w.Path.empty()), "closed");
  // Node has no IndexedDB.
  await rejects(() => w.openIndexedDBStore("test"), "unsupported");
  await rejects(() => w.deleteIndexedDBStore("test"), "unsupported");
});

test("shutdown and init again", async () => {
  const oldStore = await w.openMemoryStore();
  const oldHasher = await w.createHasher();
  w.shutdown();
  await rejects(() => w.hash(new Uint8Array(1)), "not_initialised");
  const bytes = await (await import("node:fs/promises")).readFile(new URL(import.meta.resolve("willow-web/willow.wasm")));
  const module = await WebAssembly.compile(bytes);
  const info = await w.init(module, { worker: false });
  assert.equal(info.mode, "thread");
  assert.equal((await w.hash(new Uint8Array(0))).length, 32);
  w.shutdown();
  // A Response, streamed when it says application/wasm.
  const res = new Response(bytes, { headers: { "content-type": "application/wasm" } });
  assert.equal((await w.init(res)).mode, "thread");
  w.shutdown();
  // A file: URL given as a string.
  assert.equal((await w.init(import.meta.resolve("willow-web/willow.wasm"))).mode, "thread");
  assert.equal((await w.hash(new Uint8Array(0))).length, 32);
  // Handles of the old instance are void, even where the new one has the same numbers.
  await w.openMemoryStore();
  await rejects(() => oldStore.namespace(new Uint8Array(32)).entries(w.Area.full()), "closed");
  await rejects(() => oldHasher.digest(), "closed");
});

test("payloads and drops: write, read, create, inspect, ingest, abort", async () => {
  const ns = await w.generateCommunalNamespaceKeypair();
  const alice = await w.generateSubspaceKeypair();
  const cap = await w.Capability.communal(ns.id, alice.id);
  const store = await w.openMemoryStore();
  const space = store.namespace(ns.id);
  const payload = new Uint8Array(200_000).map((_, i) => (i * 13) & 0xff);
  const big = await w.authorise(await w.Entry.builder().namespaceId(ns.id).subspaceId(alice.id).path(w.Path.from("big")).now().payload(payload).build(), cap, alice.secret);
  const small = await w.authorise(await w.Entry.builder().namespaceId(ns.id).subspaceId(alice.id).path(w.Path.from("small")).now().payload(enc("tiny")).build(), cap, alice.secret);
  await space.ingest([big, small]);
  const events = [];
  await space.subscribe(w.Area.full(), (ev) => events.push(ev.kind));
  assert.deepEqual(await space.payloadInfo(alice.id, w.Path.from("big")), { state: "none", slices: [] });
  await rejects(() => space.readPayload(alice.id, w.Path.from("big")), "payload_missing");
  await rejects(() => space.writePayload(big.entry, payload.subarray(1)), "payload_mismatch");
  const wrong = payload.slice();
  wrong[12345] ^= 1;
  await rejects(() => space.writePayload(big.entry, wrong), "payload_mismatch");
  const stranger = new w.Entry({ ...big.entry, path: w.Path.from("nowhere") });
  await rejects(() => space.writePayload(stranger, payload), "no_such_entry");
  await space.writePayload(big.entry, payload);
  await space.writePayload(small.entry, enc("tiny"));
  assert.ok(events.includes("payloadChanged"));
  const info = await space.payloadInfo(alice.id, w.Path.from("big"));
  assert.equal(info.state, "complete");
  assert.deepEqual(info.slices, [{ start: 0n, count: 196n }]);
  assert.deepEqual(await space.readPayload(alice.id, w.Path.from("big"), { from: 1000n, to: 1010n }), payload.subarray(1000, 1010));
  assert.deepEqual(await space.readPayload(alice.id, w.Path.from("small")), enc("tiny"));
  const streamed = [];
  for await (const c of space.payloadStream(alice.id, w.Path.from("big"), { chunkSize: 50_000 })) streamed.push(c.length);
  assert.deepEqual(streamed, [50_000, 50_000, 50_000, 50_000]);
  await assert.rejects(async () => {
    for await (const _ of space.payloadStream(alice.id, w.Path.from("nothing")));
  }, (e) => e.code === "no_such_entry");

  // A drop, streamed out in 16 KiB chunks.
  const chunks = [];
  for await (const c of store.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true, chunkSize: 16 << 10 })) chunks.push(c);
  assert.ok(chunks.length > 10);
  const dropBytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  const items = await w.inspectDrop(dropBytes);
  assert.deepEqual(items.map((i) => [i.entry.path.toString(), i.authorised]), [["/big", true], ["/small", true]]);
  assert.ok(items[0].entry.equals(big.entry));
  assert.deepEqual(items[1].token, small.token);

  // Ingested elsewhere from a ReadableStream, with progress.
  const other = await w.openMemoryStore();
  const progress = [];
  const result = await other.ingestDrop(new Blob(chunks).stream(), { onProgress: (p) => progress.push(p) });
  assert.equal(result.items, 2);
  assert.equal(result.inserted, 2);
  assert.equal(result.payloadBytes, 200_004n);
  assert.equal(result.bytes, BigInt(dropBytes.length));
  assert.ok(progress.length > 0 && progress.at(-1).bytes <= BigInt(dropBytes.length));
  assert.deepEqual(await other.namespace(ns.id).readPayload(alice.id, w.Path.from("big")), payload);
  // Again: nothing new.
  assert.equal((await other.ingestDrop(dropBytes)).alreadyPresent, 2);

  // Bad drops leave the store as it was.
  const fresh = await w.openMemoryStore();
  const corrupt = dropBytes.slice();
  corrupt[corrupt.length - 300] ^= 1;
  await rejects(() => fresh.ingestDrop(corrupt), "payload_mismatch");
  await rejects(() => fresh.ingestDrop(dropBytes.subarray(0, 700)), "truncated");
  await rejects(() => fresh.ingestDrop(new Uint8Array([...dropBytes, 0])), "trailing_bytes");
  await rejects(() => fresh.ingestDrop(new Uint8Array([0xff])), "drop_malformed");
  await rejects(() => w.inspectDrop(dropBytes.subarray(0, 50)), "truncated");
  // A forged token: flip a byte of the first item's signature in place.
  const sig = big.token.subarray(big.token.length - 64);
  const at = Buffer.from(dropBytes).indexOf(Buffer.from(sig));
  assert.ok(at > 0, "signature found in the drop");
  const forged = dropBytes.slice();
  forged[at + 5] ^= 1;
  await rejects(() => fresh.ingestDrop(forged), "drop_unauthorised");
  const inspected = await w.inspectDrop(forged);
  assert.equal(inspected[0].authorised, false);
  assert.equal(inspected[0].error.code, "invalid_entry_signature");
  const ac = new AbortController();
  ac.abort();
  await rejects(() => fresh.ingestDrop(dropBytes, { signal: ac.signal }), "aborted");
  const ac2 = new AbortController();
  await rejects(
    () =>
      fresh.ingestDrop(
        (async function* () {
          yield dropBytes.subarray(0, 1000);
          ac2.abort();
          yield dropBytes.subarray(1000);
        })(),
        { signal: ac2.signal },
      ),
    "aborted",
  );
  assert.equal((await fresh.namespace(ns.id).entries(w.Area.full())).length, 0);
  await rejects(() => fresh.ingestDrop(42), "invalid_argument");
});

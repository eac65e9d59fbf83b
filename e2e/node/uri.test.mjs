// Willow URIs through the installed package: parsing and formatting in the
// module (core/uri), and resolution against a store.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as w from "willow-web";

const enc = (s) => new TextEncoder().encode(s);
const hex = (b) => Buffer.from(b).toString("hex");

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

// The spec's examples with a real host: the Willow'25 default namespace
// (communal) and subspace ids instead of the placeholder family.alfie.
const ID = "934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318";
const host = `willow://+${ID}.${ID}`;
const DIGEST = "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2";

before(async () => {
  await w.init();
});

test("spec entry examples parse, and format canonically", async () => {
  const cases = [
    ["/blog/ideas", ["blog", "ideas"]],
    ["/blog/ideas/", ["blog", "ideas", ""]],
    ["/blog///ideas", ["blog", "", "", "ideas"]],
    ["", []],
    ["/", [""]],
    ["/blog/./ideas/..", ["blog"], "/blog"],
    ["/chess/../../../blog", ["blog"], "/blog"],
    ["/blog/hello%20world", ["blog", "hello world"]],
    // Only literal dot-segments are resolved: %2E%2E is a component "..",
    // which new URL() would resolve away.
    ["/a/%2E%2E", ["a", ".."]],
    ["/a/b/..", ["a"], "/a"],
    [`/blog?digest=${DIGEST}#blabla%0A`, ["blog"]],
    ["/blog?to=6&from=4", ["blog"], "/blog?from=4&to=6"],
    ["/blog?from=99&to=12", ["blog"], "/blog?from=99&to=99"],
    [`/blog/idea.txt?from=5&digest=${DIGEST}#about`, ["blog", "idea.txt"], `/blog/idea.txt?digest=${DIGEST}&from=5#about`],
  ];
  for (const [tail, comps, canonical] of cases) {
    const u = await w.parseUri(host + tail);
    assert.equal(u.kind, "entry", tail);
    assert.equal(hex(u.namespace), ID);
    assert.equal(hex(u.subspace), ID);
    assert.ok(u.path.equals(w.Path.from(...comps)), `${tail}: ${u.path}`);
    assert.equal(await w.formatUri(u), host + (canonical ?? tail), tail);
  }
  const u = await w.parseUri(`${host}/blog/idea.txt?from=5&digest=${DIGEST}#about`);
  assert.equal(hex(u.digest), DIGEST);
  assert.equal(u.from, 5n);
  assert.equal(u.to, undefined);
  assert.equal(u.fragment, "about");
  // Values are kept as written.
  const back = await w.parseUri(`${host}/blog?from=99&to=12`);
  assert.deepEqual([back.from, back.to], [99n, 12n]);
  const hinted = await w.parseUri(`${host}/blog?hints=wcsp%3A%2F%2Fworm-blossom.org%3A1234%2Fexample;wtp%3A%2F%2Fworm-blossom.org%3A1235%2Fexample`);
  assert.deepEqual(hinted.hints, ["wcsp://worm-blossom.org:1234/example", "wtp://worm-blossom.org:1235/example"]);
});

test("spec area examples", async () => {
  const U = w.UNLIMITED;
  const cases = [
    ["/blog/ideas?area", ["blog", "ideas"], U, U, [0n]],
    ["?area", [], U, U, [0n]],
    ["/blog?area&count=5&size=0#blabla%0A", ["blog"], 5n, 0n, [0n]],
    ["/blog?area&from=0", ["blog"], U, U, [0n], "/blog?area"],
    ["/blog?area&to=6&from=4", ["blog"], U, U, [4n, 6n], "/blog?area&from=4&to=6"],
    ["/blog&area&count=5&sipe=0", ["blog"], 5n, 0n, [0n], "/blog?area&count=5&size=0"],
    ["/chess/../../../blog?area", ["blog"], U, U, [0n], "/blog?area"],
  ];
  for (const [tail, comps, count, size, times, canonical] of cases) {
    const a = await w.parseUri(host + tail);
    assert.equal(a.kind, "area", tail);
    assert.ok(a.path.equals(w.Path.from(...comps)));
    assert.equal(typeof a.maxCount, "bigint");
    assert.deepEqual([a.maxCount, a.maxSize], [count, size], tail);
    assert.equal(a.times.start, times[0]);
    assert.equal(a.times.end, times[1]);
    assert.equal(await w.formatUri(a), host + (canonical ?? tail));
  }
});

test("round trips from objects", async () => {
  const ns = (await w.generateCommunalNamespaceKeypair()).id;
  const ss = (await w.generateSubspaceKeypair()).id;
  const p = w.Path.from("a b", new Uint8Array([0, 0x2f, 0xff]), "..", ".", "");
  const e = { kind: "entry", namespace: ns, subspace: ss, path: p, digest: new Uint8Array(32).fill(7), from: 3n, to: 2n ** 64n - 1n, hints: ["https://example.org/x?y=1;z"], fragment: "ü #" };
  const s = await w.formatUri(e);
  const back = await w.parseUri(s);
  assert.ok(back.path.equals(p));
  assert.deepEqual(back.digest, e.digest);
  assert.deepEqual([back.from, back.to], [3n, 2n ** 64n - 1n]);
  assert.deepEqual(back.hints, e.hints);
  assert.equal(back.fragment, "%C3%BC%20%23");
  assert.equal(await w.formatUri(back), s);
  const a = { kind: "area", namespace: ns, subspace: ss, path: p, times: new w.TimeRange(5n, 9n), maxCount: 3n, maxSize: 100n };
  const as = await w.formatUri(a);
  const aback = await w.parseUri(as);
  assert.deepEqual([aback.maxCount, aback.maxSize, aback.times.start, aback.times.end], [3n, 100n, 5n, 9n]);
  assert.equal(await w.formatUri(aback), as);
  assert.equal(await w.formatUri({ kind: "area", namespace: ns, subspace: ss, path: w.Path.empty() }), `willow://+${hex(ns)}.${hex(ss)}?area`);
});

test("refusals carry codes", async () => {
  for (const bad of [
    "",
    "http://example.org/",
    "willow://",
    `willow://${ID}.${ID}`, // no sign
    `willow://+${ID}.${ID.slice(1)}`,
    `${host}/a b`,
    `${host}/a%2`,
    `${host}?digest=00`,
    `${host}?from=1&from=2`,
    `${host}?nope=1`,
    `${host}?area&count=0`,
    `${host}?from=18446744073709551616`,
    `${host}/ü`,
  ]) {
    await rejects(() => w.parseUri(bad), "invalid_uri");
  }
  await rejects(() => w.parseUri(42), "invalid_argument");
  const ns = new Uint8Array(32);
  await rejects(() => w.formatUri({ kind: "area", namespace: ns, subspace: ns, path: w.Path.empty(), maxCount: 0n }), "invalid_uri");
  await rejects(() => w.formatUri({ kind: "entry", namespace: ns, subspace: ns, path: w.Path.empty(), hints: [""] }), "invalid_uri");
  await rejects(() => w.formatUri({ kind: "thing" }), "invalid_argument");
  await rejects(() => w.formatUri({ kind: "entry", namespace: ns.subarray(1), subspace: ns, path: w.Path.empty() }), "invalid_argument");
});

async function authored(ns, author, path, payload, timestamp) {
  const entry = await w.Entry.builder().namespaceId(ns.id).subspaceId(author.id).path(path).timestamp(timestamp).payload(payload).build();
  const cap = await w.Capability.communal(ns.id, author.id);
  return w.authorise(entry, cap, author.secret);
}

test("resolution: present, byte ranges, overwritten, not found, missing data, areas", async () => {
  const ns = await w.generateCommunalNamespaceKeypair();
  const alice = await w.generateSubspaceKeypair();
  const store = await w.openMemoryStore();
  const blog = store.namespace(ns.id);
  const payload = enc("Hello, Willow!");
  const first = await authored(ns, alice, w.Path.from("blog", "hello"), payload, 100n);
  await blog.ingest(first);
  await blog.writePayload(first.entry, payload);

  const link = await w.entryUri(first.entry);
  assert.match(link, /\?digest=[0-9a-f]{64}$/);
  const got = await store.resolve(link);
  assert.equal(got.kind, "entry");
  assert.ok(got.entry.equals(first.entry));
  assert.equal(got.payload, undefined, "no from/to: no bytes");
  assert.deepEqual(got.token, first.token);

  const whole = await blog.resolve(link + "&from=0");
  assert.deepEqual(whole.payload, payload);
  const slice = await store.resolve(await w.entryUri(first.entry, { from: 7n, to: 13n }));
  assert.equal(new TextDecoder().decode(slice.payload), "Willow");
  const past = await store.resolve(await w.entryUri(first.entry, { from: 7n, to: 1000n }));
  assert.deepEqual([past.from, past.to], [7n, 14n]);
  assert.equal(new TextDecoder().decode(past.payload), "Willow!");
  const beyond = await store.resolve(await w.entryUri(first.entry, { from: 100n, to: 200n }));
  assert.deepEqual([beyond.from, beyond.to, beyond.payload.length], [14n, 14n, 0]);
  const reversed = await store.resolve((await w.entryUri(first.entry, { withDigest: false })) + "?from=9&to=3");
  assert.deepEqual([reversed.from, reversed.to, reversed.payload.length], [9n, 9n, 0]);

  // A parsed object resolves too; another namespace is refused.
  assert.ok((await blog.resolve(await w.parseUri(link))).entry.equals(first.entry));
  const other = store.namespace((await w.generateCommunalNamespaceKeypair()).id);
  await rejects(() => other.resolve(link), "namespace_mismatch");

  // Not found.
  await rejects(async () => store.resolve((await w.entryUri(first.entry)).replace("/hello", "/bye")), "not_found");
  await rejects(() => store.resolve("willow://nope"), "invalid_uri");

  // Overwritten: a newer entry at the same path; the link without digest follows it.
  const second = await authored(ns, alice, w.Path.from("blog", "hello"), enc("Bye!"), 200n);
  await blog.ingest(second);
  await rejects(() => store.resolve(link), "overwritten");
  const latest = await store.resolve(await w.entryUri(first.entry, { withDigest: false }));
  assert.ok(latest.entry.equals(second.entry));

  // Missing data: the entry without its payload.
  await rejects(async () => store.resolve(await w.entryUri(second.entry, { from: 0n })), "missing_data");
  const empty = await store.resolve(await w.entryUri(second.entry, { from: 2n, to: 2n }));
  assert.equal(empty.payload.length, 0, "an empty slice needs no data");

  // Areas: newest first, with count limits.
  for (let i = 0; i < 3; i++) {
    await blog.ingest(await authored(ns, alice, w.Path.from("notes", String(i)), enc("n" + i), 300n + BigInt(i)));
  }
  const area = { kind: "area", namespace: ns.id, subspace: alice.id, path: w.Path.from("notes") };
  const all = await store.resolve(await w.formatUri(area));
  assert.equal(all.kind, "area");
  assert.deepEqual(all.entries.map((x) => x.entry.path.toString()), ["/notes/2", "/notes/1", "/notes/0"]);
  const two = await blog.resolve({ ...area, maxCount: 2n });
  assert.equal(two.entries.length, 2);
  const timed = await store.resolve({ ...area, times: new w.TimeRange(301n, 302n) });
  assert.deepEqual(timed.entries.map((x) => x.entry.path.toString()), ["/notes/1"]);
  await store.close();
});

// Sealed drops (age) through the installed package, and interop with the
// stock age CLI (built from go.mod's tool filippo.io/age/cmd/age).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as w from "willow-web";

const enc = (s) => new TextEncoder().encode(s);
const bytesOf = async (stream) => new Uint8Array(await new Response(stream).arrayBuffer());

async function rejects(fn, code) {
  await assert.rejects(
    async () => fn(),
    (err) => {
      assert.ok(err instanceof w.WillowError, `expected a WillowError, got ${err?.stack ?? err}`);
      assert.equal(err.code, code, err.message);
      return true;
    },
  );
}

let ns, alice, betty, gemma, source, plainDrop;

before(async () => {
  await w.init();
  ns = await w.generateCommunalNamespaceKeypair();
  [alice, betty, gemma] = await Promise.all([w.generateSubspaceKeypair(), w.generateSubspaceKeypair(), w.generateSubspaceKeypair()]);
  source = await w.openMemoryStore();
  const cap = await w.Capability.communal(ns.id, alice.id);
  for (let i = 0; i < 5; i++) {
    const payload = enc(`note ${i} `.repeat(20000)); // 160+ KB in all: several age chunks
    const entry = await w.Entry.builder().namespaceId(ns.id).subspaceId(alice.id).path(w.Path.from("notes", String(i))).now().payload(payload).build();
    await source.ingest(await w.authorise(entry, cap, alice.secret));
    await source.namespace(ns.id).writePayload(entry, payload);
  }
  plainDrop = await bytesOf(source.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true }));
});

const areas = () => [{ namespace: ns.id, area: w.Area.full() }];

async function ingestInto(drop, options) {
  const store = await w.openMemoryStore();
  try {
    const r = await store.ingestDrop(drop, options);
    const n = (await store.namespace(ns.id).entries(w.Area.full())).length;
    return { r, n };
  } finally {
    await store.close();
  }
}

test("createDrop needs sealTo or plaintext: true", async () => {
  assert.throws(() => source.createDrop(areas()), (e) => e.code === "invalid_argument" && /sealTo/.test(e.message));
  assert.throws(() => source.createDrop(areas(), {}), (e) => e.code === "invalid_argument");
  assert.throws(() => source.createDrop(areas(), { sealTo: [betty.id], plaintext: true }), (e) => e.code === "invalid_argument");
  assert.throws(() => source.createDrop(areas(), { sealTo: [] }), (e) => e.code === "invalid_argument");
  assert.throws(() => source.createDrop(areas(), { sealTo: ["AGE-SECRET-KEY-1X"] }), (e) => e.code === "invalid_argument");
  assert.throws(() => source.createDrop(areas(), { sealTo: [{ passphrase: "a" }, betty.id] }), (e) => e.code === "invalid_argument");
});

test("sealed to a subspace: opens with its secret, streaming, and ingests", async () => {
  const sealed = await bytesOf(source.createDrop(areas(), { sealTo: [betty.id] }));
  assert.equal(new TextDecoder().decode(sealed.subarray(0, 22)), "age-encryption.org/v1\n");
  assert.ok(sealed.length > plainDrop.length);
  const { r, n } = await ingestInto(sealed, { identities: [betty.secret] });
  assert.equal(r.sealed, true);
  assert.equal(r.inserted, 5);
  assert.equal(n, 5);
  // As a stream of small chunks, and with openDrop.
  const chunks = [];
  for (let i = 0; i < sealed.length; i += 1000) chunks.push(sealed.subarray(i, i + 1000));
  assert.equal((await ingestInto(chunks, { identities: [betty.secret] })).r.inserted, 5);
  assert.deepEqual(await bytesOf(w.openDrop(sealed, [betty.secret])), plainDrop);
  // The wrong subspace, no identities.
  await rejects(() => ingestInto(sealed, { identities: [gemma.secret] }), "no_matching_identity");
  await rejects(() => ingestInto(sealed), "no_matching_identity");
  await rejects(() => bytesOf(w.openDrop(sealed, [gemma.secret])), "no_matching_identity");
  // A plaintext drop ingests without identities (and with them).
  assert.equal((await ingestInto(plainDrop, { identities: [gemma.secret] })).r.sealed, false);
  await rejects(() => bytesOf(w.openDrop(plainDrop, [betty.secret])), "not_sealed");
});

test("X25519 age1… strings, several recipients, passphrases", async () => {
  const age1 = await w.ageRecipient(gemma.id);
  assert.match(age1, /^age1[02-9ac-hj-np-z]{58}$/);
  const identity = await w.ageIdentity(gemma.secret);
  assert.match(identity, /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/);
  const many = await bytesOf(source.createDrop(areas(), { sealTo: [betty.id, age1] }));
  assert.equal((await ingestInto(many, { identities: [identity] })).n, 5);
  assert.equal((await ingestInto(many, { identities: [betty.secret] })).n, 5);
  assert.equal((await ingestInto(many, { identities: [alice.secret, betty.secret] })).n, 5);
  await rejects(() => ingestInto(many, { identities: [alice.secret] }), "no_matching_identity");

  const pw = await bytesOf(w.sealDrop(new Blob([plainDrop]).stream(), [{ passphrase: "correct horse" }]));
  assert.equal((await ingestInto(pw, { identities: [{ passphrase: "correct horse" }] })).n, 5);
  await rejects(() => ingestInto(pw, { identities: [{ passphrase: "wrong horse" }] }), "wrong_passphrase");
  await rejects(() => ingestInto(pw, { identities: [betty.secret] }), "no_matching_identity");
});

test("tampered, truncated and foreign input", async () => {
  const sealed = await bytesOf(source.createDrop(areas(), { sealTo: [betty.id] }));
  const flip = (i) => sealed.map((b, j) => (j === i ? b ^ 1 : b));
  const headerEnd = new TextDecoder("latin1").decode(sealed).indexOf("\n---") + 10;
  // A flipped byte in the MAC, in the first and in the last chunk.
  for (const i of [headerEnd, headerEnd + 100, sealed.length - 5]) {
    await rejects(() => ingestInto(flip(i), { identities: [betty.secret] }), "tampered");
  }
  // Cut inside the last chunk, at the first 64 KiB chunk boundary (a whole
  // chunk, not the final one), and inside the first chunk.
  const text = new TextDecoder("latin1").decode(sealed);
  const payloadStart = text.indexOf("\n", text.indexOf("\n---") + 1) + 1 + 16; // header, then the 16-byte nonce
  for (const n of [sealed.length - 1, sealed.length - 1000, payloadStart + 65536 + 16, payloadStart + 40]) {
    await rejects(() => ingestInto(sealed.subarray(0, n), { identities: [betty.secret] }), "tampered");
  }
  // Nothing was written by a failed ingest.
  const store = await w.openMemoryStore();
  await rejects(() => store.ingestDrop(flip(sealed.length - 5), { identities: [betty.secret] }), "tampered");
  assert.equal((await store.namespace(ns.id).entries(w.Area.full())).length, 0);
  await store.close();
  // Not a drop at all; an age file whose plaintext is not a drop.
  const junk = new Uint8Array([0xff, 1, 2, 3]);
  await rejects(() => bytesOf(w.openDrop(junk, [betty.secret])), "not_a_drop");
  await rejects(() => ingestInto(junk), "drop_malformed");
  await rejects(() => bytesOf(w.sealDrop(new Blob([junk]).stream(), [betty.id])), "not_a_drop");
  // An age file whose plaintext is not a drop (sealed by the age CLI in the interop test too).
  const { Encrypter } = await import("age-encryption");
  const e = new Encrypter();
  e.addRecipient(await w.ageRecipient(betty.id));
  const sealedJunk = await e.encrypt(junk);
  await rejects(() => ingestInto(sealedJunk, { identities: [betty.secret] }), "not_a_drop");
});

test("interop with the stock age CLI", { timeout: 300_000 }, async () => {
  const root = process.env.WILLOW_ROOT;
  assert.ok(root, "WILLOW_ROOT (set by scripts/test-web.sh) names the repository");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "willow-age-"));
  try {
    const age = path.join(tmp, "age");
    execFileSync("go", ["build", "-o", age, "filippo.io/age/cmd/age"], { cwd: root, stdio: "inherit" });
    // Façade → age -d -i <identity file from the façade>.
    fs.writeFileSync(path.join(tmp, "betty.key"), (await w.ageIdentity(betty.secret)) + "\n");
    fs.writeFileSync(path.join(tmp, "sealed.age"), await bytesOf(source.createDrop(areas(), { sealTo: [betty.id] })));
    const opened = execFileSync(age, ["-d", "-i", path.join(tmp, "betty.key"), path.join(tmp, "sealed.age")], { maxBuffer: 1 << 26 });
    assert.deepEqual(new Uint8Array(opened), plainDrop);
    // age -r <recipient from the façade> → ingests through the façade.
    fs.writeFileSync(path.join(tmp, "plain.drop"), plainDrop);
    const byCli = execFileSync(age, ["-r", await w.ageRecipient(gemma.id), path.join(tmp, "plain.drop")], { maxBuffer: 1 << 26 });
    const { r, n } = await ingestInto(new Uint8Array(byCli), { identities: [gemma.secret] });
    assert.equal(r.sealed, true);
    assert.equal(n, 5);
    await rejects(() => ingestInto(new Uint8Array(byCli), { identities: [betty.secret] }), "no_matching_identity");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

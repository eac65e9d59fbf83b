// The willow-web relay client (relay.upload/list/listAll/download/delete)
// against a running relay: registered by e2e.test.mjs (the Worker under
// wrangler dev) and memrelay.test.mjs (the same Go handler natively, over
// memory). w is the installed willow-web package (from its packed tarball),
// relayURL() the relay's base URL at the time a test runs.
import { test } from "node:test";
import assert from "node:assert/strict";

const enc = (s) => new TextEncoder().encode(s);
const bytesOf = async (stream) => new Uint8Array(await new Response(stream).arrayBuffer());
const hex = (b) => Buffer.from(b).toString("hex");

export async function rejectsWith(fn, code, status) {
	await assert.rejects(
		async () => fn(),
		(err) => {
			assert.ok(err?.name === "WillowError", `expected a WillowError, got ${err?.stack ?? err}`);
			assert.equal(err.code, code, err.message);
			if (status !== undefined) assert.equal(err.status, status, err.message);
			return true;
		},
	);
}

/** Checks progress events: phases in the given order, bytes non-decreasing within a phase. */
export function assertMonotonic(events, phases) {
	assert.ok(events.length > 0, "no progress events");
	let last = { rank: -1, bytes: -1 };
	for (const e of events) {
		const rank = phases.indexOf(e.phase);
		assert.ok(rank >= 0, `unexpected phase ${e.phase}`);
		assert.ok(rank > last.rank || (rank === last.rank && e.bytes >= last.bytes), `progress went back: ${JSON.stringify(e)} after ${JSON.stringify(last)}`);
		if (e.total !== undefined) assert.ok(e.bytes <= e.total, `bytes beyond total: ${JSON.stringify(e)}`);
		last = { rank, bytes: e.bytes };
	}
}

/** Every entry (encoded), token and payload of a namespace of a store, for comparing stores. */
export async function contents(w, store, ns) {
	const view = store.namespace(ns);
	const out = [];
	for (const { entry, token } of await view.entries(w.Area.full())) {
		const payload = await view.readPayload(entry.subspaceId, entry.path).catch((e) => `missing: ${e.code}`);
		out.push([hex(await w.encodeEntry(entry)), hex(token), typeof payload === "string" ? payload : hex(payload)]);
	}
	return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/**
 * Registers the client tests. Returns `kept`: one drop uploaded and left on
 * the relay ({ id, bytes, access }) for a caller's later test (e2e.test.mjs
 * checks it survives a restart of the runtime).
 */
export function clientTests(w, relayURL, label) {
	const kept = {};
	let ns, alice, bob, store, drop, writeAlice, readBob;
	const access = (capability, secret) => ({ url: relayURL(), capability, secret });

	async function fill(target, name, n, size) {
		const cap = await w.Capability.communal(ns.id, alice.id);
		for (let i = 0; i < n; i++) {
			const payload = enc(`${name} ${i} `.repeat(Math.ceil(size / 8))).subarray(0, size);
			const entry = await w.Entry.builder().namespaceId(ns.id).subspaceId(alice.id).path(w.Path.from(name, String(i))).now().payload(payload).build();
			await target.ingest(await w.authorise(entry, cap, alice.secret));
			await target.namespace(ns.id).writePayload(entry, payload);
		}
	}
	async function dropOf(name, n = 2, size = 1000) {
		const s = await w.openMemoryStore();
		await fill(s, name, n, size);
		const bytes = await bytesOf(s.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true }));
		await s.close();
		return bytes;
	}

	test(`${label}: set up stores and capabilities`, async () => {
		await w.init();
		ns = await w.generateCommunalNamespaceKeypair();
		[alice, bob] = await Promise.all([w.generateSubspaceKeypair(), w.generateSubspaceKeypair()]);
		store = await w.openMemoryStore();
		await fill(store, "docs", 6, 300_000); // ≈ 1.8 MB: several reading and receiving chunks
		drop = await bytesOf(store.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true }));
		writeAlice = access(await w.Capability.communal(ns.id, alice.id, "write"), alice.secret);
		readBob = access(await w.Capability.communal(ns.id, bob.id, "read"), bob.secret);
	});

	test(`${label}: upload → list → download → ingest round trip, with progress`, async () => {
		const up = [];
		// A stream source: read, hashed, then sent.
		const rec = await w.relay.upload(writeAlice, new Blob([drop]).stream(), { onProgress: (p) => up.push(p) });
		assert.equal(rec.id, hex(await w.hash(drop)));
		assert.equal(rec.size, drop.length);
		assert.equal(rec.uploader, hex(alice.id));
		assert.equal(rec.sealed, false);
		assert.equal(rec.created, true);
		assertMonotonic(up, ["reading", "sending"]);
		assert.ok(up.filter((p) => p.phase === "reading").length >= 2, "reading reported per chunk");
		assert.deepEqual(up.at(-1), { phase: "sending", bytes: drop.length, total: drop.length });

		// The same bytes again (as bytes, and as a Blob): deduplicated.
		assert.equal((await w.relay.upload(writeAlice, drop)).created, false);
		assert.equal((await w.relay.upload(writeAlice, new Blob([drop]))).created, false);

		const page = await w.relay.list(readBob);
		assert.deepEqual(page.drops.map((d) => d.id), [rec.id]);
		assert.equal(page.next, undefined);
		assert.deepEqual(page.drops[0], { id: rec.id, size: rec.size, uploader: rec.uploader, time: rec.time, sealed: false });

		const down = [];
		const stream = await w.relay.download(readBob, rec.id, { onProgress: (p) => down.push(p) });
		const other = await w.openMemoryStore();
		const result = await other.ingestDrop(stream);
		assert.equal(result.inserted, 6);
		assert.equal(result.bytes, BigInt(drop.length));
		assertMonotonic(down, ["receiving"]);
		assert.equal(down.at(-1).bytes, drop.length);
		assert.equal(down.at(-1).total, drop.length);
		assert.deepEqual(await contents(w, other, ns.id), await contents(w, store, ns.id));
		await other.close();
		kept.id = rec.id;
		kept.bytes = drop;
		kept.access = readBob;
		kept.ns = ns.id;
		kept.contents = await contents(w, store, ns.id);
	});

	test(`${label}: a sealed drop goes up opaque and comes back openable`, async () => {
		const sealed = await bytesOf(store.createDrop([{ namespace: ns.id, area: w.Area.full() }], { sealTo: [bob.id] }));
		const rec = await w.relay.upload(writeAlice, sealed);
		assert.equal(rec.sealed, true);
		assert.equal(rec.id, hex(await w.hash(sealed)));
		const other = await w.openMemoryStore();
		const result = await other.ingestDrop(await w.relay.download(readBob, await w.hash(sealed)), { identities: [bob.secret] });
		assert.equal(result.sealed, true);
		assert.equal(result.inserted, 6);
		await other.close();
		await w.relay.delete(writeAlice, rec.id);
	});

	test(`${label}: concurrent uploads and identical concurrent requests`, async () => {
		const drops = await Promise.all(Array.from({ length: 6 }, (_, i) => dropOf(`par${i}`)));
		const recs = await Promise.all(drops.map((d) => w.relay.upload(writeAlice, d)));
		for (const r of recs) assert.equal(r.created, true);
		// Identical requests in the same second carry the same signature; the
		// client signs each for its own second instead of being refused as a replay.
		const pages = await Promise.all(Array.from({ length: 4 }, () => w.relay.list(readBob, { limit: 1000 })));
		for (const p of pages) for (const r of recs) assert.ok(p.drops.some((d) => d.id === r.id), `${r.id} not listed`);
		const all = await w.relay.listAll(readBob);
		assert.equal(new Set(all.map((d) => d.id)).size, all.length);
		for (const r of recs) assert.ok(all.some((d) => d.id === r.id));
		// Pages of one follow next to the end.
		const seen = [];
		let after;
		for (let i = 0; i < 20; i++) {
			const p = await w.relay.list(readBob, { limit: 1, after });
			seen.push(...p.drops.map((d) => d.id));
			if (!p.next) break;
			after = p.next;
		}
		assert.deepEqual(seen, all.map((d) => d.id));
		await Promise.all(recs.map((r) => w.relay.delete(writeAlice, r.id)));
	});

	test(`${label}: refusals are WillowErrors with the relay's code`, async () => {
		const writeBob = access(await w.Capability.communal(ns.id, bob.id, "write"), bob.secret);
		// Bob's write capability does not cover alice's entries.
		await rejectsWith(() => w.relay.upload(writeBob, drop), "relay_entry_outside_area", 403);
		const ro = await dropOf("ro");
		await rejectsWith(() => w.relay.upload(readBob, ro), "relay_wrong_access_mode", 403);
		await rejectsWith(() => w.relay.upload(writeAlice, drop.subarray(0, 200)), "relay_truncated_drop", 422);
		const forged = drop.slice();
		forged[forged.length - 5] ^= 1; // inside the last payload slice
		await rejectsWith(() => w.relay.upload(writeAlice, forged), "relay_invalid_drop", 422);
		await rejectsWith(() => w.relay.download(readBob, "00".repeat(32)), "relay_not_found", 404);
		await rejectsWith(() => w.relay.delete(writeBob, kept.id), "relay_not_uploader", 403);
		const other = await w.generateCommunalNamespaceKeypair();
		const elsewhere = access(await w.Capability.communal(other.id, bob.id, "read"), bob.secret);
		assert.deepEqual((await w.relay.list(elsewhere)).drops, []); // another namespace: empty, not refused
		// Local refusals, before any request.
		await rejectsWith(() => w.relay.list({ ...readBob, secret: alice.secret }), "wrong_secret");
		await rejectsWith(() => w.relay.list({ ...readBob, url: "ftp://x" }), "invalid_argument");
		await rejectsWith(() => w.relay.download(readBob, "abc"), "invalid_argument");
		await rejectsWith(() => w.relay.list(readBob, { limit: 0 }), "invalid_argument");
		// Nothing of the refused uploads was stored.
		assert.deepEqual((await w.relay.listAll(readBob)).map((d) => d.id), [kept.id]);
	});

	test(`${label}: AbortSignal on upload and download`, async () => {
		const ac = new AbortController();
		ac.abort();
		await rejectsWith(() => w.relay.upload(writeAlice, drop, { signal: ac.signal }), "aborted");
		await rejectsWith(() => w.relay.download(readBob, kept.id, { signal: ac.signal }), "aborted");

		// Abort while an upload source is being read: the source is cancelled.
		const ac2 = new AbortController();
		let cancelled = false;
		const slow = new ReadableStream({
			start(c) {
				c.enqueue(drop.subarray(0, drop.length >> 1));
			},
			pull() {
				ac2.abort();
				return new Promise(() => {}); // never delivers the rest
			},
			cancel() {
				cancelled = true;
			},
		});
		await rejectsWith(() => w.relay.upload(writeAlice, slow, { signal: ac2.signal }), "aborted");
		assert.ok(cancelled, "the source stream was not cancelled");

		// Abort in the middle of a download: the stream errors, ingestDrop writes nothing.
		const ac3 = new AbortController();
		const stream = await w.relay.download(readBob, kept.id, {
			signal: ac3.signal,
			onProgress: (p) => {
				if (p.bytes > 0) ac3.abort();
			},
		});
		const other = await w.openMemoryStore();
		await rejectsWith(() => other.ingestDrop(stream), "aborted");
		assert.deepEqual(await contents(w, other, ns.id), []);
		await other.close();
	});

	return kept;
}

// The willow-web relay client against the relay's Go handler run natively over
// memory ($RELAY_MEMRELAY, relay/internal/memrelay): the fast companion of
// e2e.test.mjs (same client tests, no wrangler), plus answers only a fake
// fetch can give (tampered bytes, a proxy's HTML error, a dead network).
// $WILLOW_WEB is the installed willow-web package directory (from the packed
// tarball); scripts/test-relay.sh sets both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { clientTests, contents, rejectsWith } from "./client-tests.mjs";

const memrelay = process.env.RELAY_MEMRELAY;
const pkg = process.env.WILLOW_WEB;
if (!memrelay || !pkg) throw new Error("set RELAY_MEMRELAY and WILLOW_WEB (scripts/test-relay.sh does)");
const w = await import(pathToFileURL(join(pkg, "dist", "index.js")).href);

// startMemrelay runs memrelay with args; resolves with the process and its URL.
async function startMemrelay(args = []) {
	const proc = spawn(memrelay, args, { stdio: ["pipe", "pipe", "inherit"] });
	const url = await new Promise((resolve, reject) => {
		let out = "";
		proc.stdout.on("data", (d) => {
			out += d;
			if (out.includes("\n")) resolve(out.split("\n")[0].trim());
		});
		proc.once("exit", (code) => reject(new Error(`memrelay exited (${code})`)));
	});
	return { proc, url };
}

let server, base;
before(async () => {
	({ proc: server, url: base } = await startMemrelay());
});
after(() => server.stdin.end());

const kept = clientTests(w, () => base, "memrelay");

const enc = (s) => new TextEncoder().encode(s);

test("memrelay: a download whose bytes do not hash to its id errors at the end; ingestDrop writes nothing", async () => {
	// A relay (or anything between) answering a request for one id with
	// another, perfectly valid drop.
	const otherID = "ab".repeat(32);
	const lying = { ...kept.access, fetch: async () => new Response(kept.bytes, { status: 200, headers: { "Content-Length": String(kept.bytes.length) } }) };
	const store = await w.openMemoryStore();
	await rejectsWith(async () => store.ingestDrop(await w.relay.download(lying, otherID)), "relay_digest_mismatch");
	assert.deepEqual(await contents(w, store, kept.ns), []);
	await rejectsWith(async () => new Response(await w.relay.download(lying, otherID)).arrayBuffer(), "relay_digest_mismatch");
	// The same bytes under their own id pass.
	const honest = await store.ingestDrop(await w.relay.download(lying, kept.id));
	assert.equal(honest.inserted, kept.contents.length);
	assert.deepEqual(await contents(w, store, kept.ns), kept.contents);
	await store.close();
});

test("memrelay: a non-JSON error answer and a failing network", async () => {
	const proxy = { ...kept.access, fetch: async () => new Response("<html>bad gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }) };
	await rejectsWith(() => w.relay.list(proxy), "relay_error", 502);
	const down = { ...kept.access, fetch: async () => { throw new TypeError("fetch failed"); } };
	await rejectsWith(() => w.relay.upload(down, enc("x")), "relay_unreachable");
	// A code from a newer relay is relay_error, with the status.
	const newer = { ...kept.access, fetch: async () => Response.json({ error: { code: "brand_new", message: "?" } }, { status: 400 }) };
	await rejectsWith(() => w.relay.list(newer), "relay_error", 400);
});

test("memrelay: a replay from another client is re-signed for the next second", async () => {
	// Answer the first attempt with replayed_request, as a relay does when
	// another realm already used this signature; the client re-signs.
	const stamps = [];
	let first = true;
	const flaky = {
		...kept.access,
		fetch: async (url, init) => {
			stamps.push(Number(init.headers["Willow-Timestamp"]));
			if (first) {
				first = false;
				return Response.json({ error: { code: "replayed_request", message: "used" } }, { status: 409 });
			}
			return fetch(url, init);
		},
	};
	const page = await w.relay.list(flaky);
	assert.ok(page.drops.some((d) => d.id === kept.id));
	assert.equal(stamps.length, 2);
	assert.ok(stamps[1] > stamps[0], `re-signed for ${stamps[1]} after ${stamps[0]}`);
	// Always refused: gives up after three re-signs with the relay's code.
	const always = { ...kept.access, fetch: async () => Response.json({ error: { code: "replayed_request", message: "used" } }, { status: 409 }) };
	await rejectsWith(() => w.relay.list(always), "relay_replayed_request", 409);
});

test("memrelay: the size limits surface as relay_body_too_large and relay_namespace_full", async () => {
	const { proc: small, url } = await startMemrelay(["--max-body", "4000", "--max-namespace", "5000"]);
	try {
		const ns = await w.generateCommunalNamespaceKeypair();
		const me = await w.generateSubspaceKeypair();
		const cap = await w.Capability.communal(ns.id, me.id, "write");
		const dropOf = async (name, size) => {
			const s = await w.openMemoryStore();
			const payload = new Uint8Array(size).fill(name.charCodeAt(0));
			const entry = await w.Entry.builder().namespaceId(ns.id).subspaceId(me.id).path(w.Path.from(name)).now().payload(payload).build();
			await s.ingest(await w.authorise(entry, cap, me.secret));
			await s.namespace(ns.id).writePayload(entry, payload);
			const bytes = new Uint8Array(await new Response(s.createDrop([{ namespace: ns.id, area: w.Area.full() }], { plaintext: true })).arrayBuffer());
			await s.close();
			return bytes;
		};
		const access = { url, capability: cap, secret: me.secret };
		await rejectsWith(async () => w.relay.upload(access, await dropOf("big", 5000)), "relay_body_too_large", 413);
		assert.equal((await w.relay.upload(access, await dropOf("a", 3000))).created, true);
		await rejectsWith(async () => w.relay.upload(access, await dropOf("b", 3000)), "relay_namespace_full", 413);
	} finally {
		small.stdin.end();
	}
});

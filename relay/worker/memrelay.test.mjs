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

let server, base;
before(async () => {
	server = spawn(memrelay, [], { stdio: ["pipe", "pipe", "inherit"] });
	base = await new Promise((resolve, reject) => {
		let out = "";
		server.stdout.on("data", (d) => {
			out += d;
			if (out.includes("\n")) resolve(out.split("\n")[0].trim());
		});
		server.once("exit", (code) => reject(new Error(`memrelay exited (${code})`)));
	});
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

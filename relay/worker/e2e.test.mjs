// End-to-end test of the relay Worker: runs `wrangler dev` on 127.0.0.1 with
// local R2 and KV (persisted under a temporary directory; no network beyond
// loopback), then uploads a drop made by the willow CLI, lists, downloads,
// deletes; then the willow-web package's relay client (client-tests.mjs)
// against the same Worker, and a restart of the runtime. Needs
// build/relay.wasm and build/wasm_exec.js, the binaries named by $WILLOW_CLI
// (cmd/willow) and $RELAY_SIGNREQ (relay/internal/signreq), and $WILLOW_WEB,
// the willow-web package installed from its packed tarball.
// scripts/test-relay.sh builds all of them and runs this file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { clientTests, contents } from "./client-tests.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = process.env.WILLOW_CLI;
const signreq = process.env.RELAY_SIGNREQ;
const pkg = process.env.WILLOW_WEB;
if (!cli || !signreq || !pkg) throw new Error("set WILLOW_CLI, RELAY_SIGNREQ and WILLOW_WEB (scripts/test-relay.sh does)");
const w = await import(pathToFileURL(join(pkg, "dist", "index.js")).href);

const tmp = mkdtempSync(join(tmpdir(), "relay-e2e-"));
let wrangler, base, logs = "";

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on("error", reject);
		s.listen(0, "127.0.0.1", () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const run = (bin, ...args) => execFileSync(bin, args, { encoding: "utf8" }).trim();
const keygen = (kind) => JSON.parse(run(cli, "keygen", kind));

// startWrangler runs `wrangler dev` on a free loopback port over the local
// state in tmp/state (kept across restarts) and waits until it answers.
async function startWrangler() {
	const port = await freePort();
	base = `http://127.0.0.1:${port}`;
	wrangler = spawn(
		join(here, "node_modules", ".bin", "wrangler"),
		["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()),
			"--persist-to", join(tmp, "state"), "--show-interactive-dev-session=false", "--log-level", "warn"],
		{
			cwd: here,
			env: {
				...process.env,
				// Loopback only: no metrics, error reports, update checks or Request.cf download.
				WRANGLER_SEND_METRICS: "false",
				WRANGLER_SEND_ERROR_REPORTS: "false",
				CLOUDFLARE_CF_FETCH_ENABLED: "false",
				NO_UPDATE_NOTIFIER: "1",
				XDG_CONFIG_HOME: join(tmp, "config"),
			},
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	wrangler.stdout.on("data", (d) => (logs += d));
	wrangler.stderr.on("data", (d) => (logs += d));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.exitCode}):\n${logs}`);
		try {
			const r = await fetch(`${base}/`);
			if (r.status === 404) break;
		} catch {}
		if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 60 s:\n${logs}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

// stopWrangler ends wrangler dev and waits for it to exit.
async function stopWrangler() {
	const w = wrangler;
	if (!w || w.exitCode !== null || w.signalCode !== null) return;
	const exited = new Promise((resolve) => w.once("exit", resolve));
	w.kill("SIGTERM");
	const timer = setTimeout(() => w.kill("SIGKILL"), 10_000);
	await exited;
	clearTimeout(timer);
}

before(startWrangler);

after(async () => {
	await stopWrangler();
	// Anything wrangler tried beyond loopback shows up as a failed lookup.
	assert.doesNotMatch(logs, /ENOTFOUND|getaddrinfo|EAI_AGAIN/, `wrangler reached for the network:\n${logs}`);
	rmSync(tmp, { recursive: true, force: true });
});

const ns = keygen("communal");
const alice = keygen("subspace");
const bob = keygen("subspace");
const dropsPath = `/v1/namespaces/${ns.public}/drops`;

// Every request is signed for its own second (within the relay's ±300 s
// window): the relay refuses a second use of a signature, and two identical
// requests in one second would have the same one.
let clock = Math.floor(Date.now() / 1000) - 250;
function signed(user, mode, method, target, bodyFile) {
	const args = ["--subspace-secret", user.secret, "--namespace", ns.public, "--mode", mode, "--at", String(clock++), method, target];
	if (bodyFile) args.push(bodyFile);
	return JSON.parse(run(signreq, ...args));
}

async function call(user, mode, method, target, bodyFile) {
	const headers = signed(user, mode, method, target, bodyFile);
	const body = bodyFile ? readFileSync(bodyFile) : undefined;
	return fetch(base + target, { method, headers, body });
}

function makeDrop(name, ...extra) {
	const dir = join(tmp, name);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, "hello.txt"), `hello from ${name}\n`);
	writeFileSync(join(dir, "big.bin"), Buffer.alloc(200_000, name));
	const out = join(tmp, `${name}.drop`);
	run(cli, "drop", "create", "--subspace-secret", alice.secret, "--namespace", ns.public, "--path-prefix", `/${name}`, "-o", out, ...extra, dir);
	return out;
}

test("upload, list, download, delete through the Worker", async () => {
	const file = makeDrop("plain", "--plaintext");
	const bytes = readFileSync(file);
	const id = run(cli, "hash", file).split(/\s+/)[0];

	let r = await call(alice, "write", "PUT", dropsPath, file);
	let body = await r.json();
	assert.equal(r.status, 201, JSON.stringify(body));
	assert.equal(body.id, id);
	assert.equal(body.size, bytes.length);
	assert.equal(body.uploader, alice.public);
	assert.equal(body.sealed, false);
	assert.equal(r.headers.get("access-control-allow-origin"), "*");

	r = await call(alice, "write", "PUT", dropsPath, file);
	body = await r.json();
	assert.equal(r.status, 200, JSON.stringify(body));
	assert.equal(body.created, false);

	const sealedFile = makeDrop("sealed", "--to-subspace", bob.public);
	r = await call(alice, "write", "PUT", dropsPath, sealedFile);
	body = await r.json();
	assert.equal(r.status, 201, JSON.stringify(body));
	assert.equal(body.sealed, true);
	const sealedID = body.id;

	// Listing, one drop per page, through the KV cursor.
	const seen = [];
	let target = `${dropsPath}?limit=1`;
	for (let page = 0; page < 5; page++) {
		r = await call(bob, "read", "GET", target);
		body = await r.json();
		assert.equal(r.status, 200, JSON.stringify(body));
		seen.push(...body.drops.map((d) => d.id));
		if (!body.next) break;
		target = `${dropsPath}?limit=1&after=${encodeURIComponent(body.next)}`;
	}
	assert.deepEqual(seen, [id, sealedID].sort());

	r = await call(bob, "read", "GET", `${dropsPath}/${id}`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get("content-type"), "application/octet-stream");
	assert.equal(r.headers.get("content-length"), String(bytes.length)); // streamed from R2 with its length
	assert.equal(r.headers.get("etag"), `"${id}"`);
	assert.ok(Buffer.from(await r.arrayBuffer()).equals(bytes), "downloaded bytes differ");

	r = await call(bob, "write", "DELETE", `${dropsPath}/${id}`);
	assert.equal(r.status, 403);
	assert.equal((await r.json()).error.code, "not_uploader");
	r = await call(alice, "write", "DELETE", `${dropsPath}/${id}`);
	assert.equal(r.status, 204);
	r = await call(bob, "read", "GET", `${dropsPath}/${id}`);
	assert.equal(r.status, 404);
	assert.equal((await r.json()).error.code, "not_found");
});

test("refusals come back as JSON errors with stable codes", async () => {
	const file = makeDrop("refused", "--plaintext");
	// Bob's write capability does not cover alice's entries.
	let r = await call(bob, "write", "PUT", dropsPath, file);
	assert.equal(r.status, 403);
	assert.equal((await r.json()).error.code, "entry_outside_area");
	// A read capability cannot upload.
	r = await call(alice, "read", "PUT", dropsPath, file);
	assert.equal((await r.json()).error.code, "wrong_access_mode");
	// A signature over other bytes.
	const headers = signed(alice, "write", "PUT", dropsPath, file);
	r = await fetch(base + dropsPath, { method: "PUT", headers, body: Buffer.concat([readFileSync(file), Buffer.from([0])]) });
	assert.equal(r.status, 401);
	assert.equal((await r.json()).error.code, "bad_signature");
	// Truncated.
	const cut = join(tmp, "cut.drop");
	writeFileSync(cut, readFileSync(file).subarray(0, 100));
	r = await call(alice, "write", "PUT", dropsPath, cut);
	assert.equal(r.status, 422);
	assert.equal((await r.json()).error.code, "truncated_drop");
	// A replayed request (the same headers again).
	const ok = signed(alice, "read", "GET", dropsPath);
	r = await fetch(base + dropsPath, { headers: ok });
	assert.equal(r.status, 200);
	r = await fetch(base + dropsPath, { headers: ok });
	assert.equal(r.status, 409);
	assert.equal((await r.json()).error.code, "replayed_request");
	// No headers at all.
	r = await fetch(base + dropsPath);
	assert.equal(r.status, 401);
	assert.equal((await r.json()).error.code, "missing_auth");
});

test("CORS preflight", async () => {
	const r = await fetch(base + dropsPath, {
		method: "OPTIONS",
		headers: { Origin: "https://example.org", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "willow-capability" },
	});
	assert.equal(r.status, 204);
	assert.equal(r.headers.get("access-control-allow-origin"), "*");
	assert.match(r.headers.get("access-control-allow-headers"), /Willow-Signature/);
	assert.match(r.headers.get("access-control-allow-methods"), /PUT/);
});

// The package's client against the Worker (upload, list, download into a
// second store, concurrency, refusals, aborts, progress).
const kept = clientTests(w, () => base, "willow-web client");

async function listAll(user) {
	const seen = [];
	let target = `${dropsPath}?limit=1000`;
	for (;;) {
		const r = await call(user, "read", "GET", target);
		const body = await r.json();
		assert.equal(r.status, 200, JSON.stringify(body));
		seen.push(...body.drops.map((d) => d.id));
		if (!body.next) return seen;
		target = `${dropsPath}?limit=1000&after=${encodeURIComponent(body.next)}`;
	}
}

test("concurrent uploads are all stored and listed", async () => {
	const files = Array.from({ length: 8 }, (_, i) => makeDrop(`par${i}`, "--plaintext"));
	const results = await Promise.all(files.map(async (f) => {
		const r = await call(alice, "write", "PUT", dropsPath, f);
		return { status: r.status, body: await r.json() };
	}));
	for (const { status, body } of results) assert.equal(status, 201, JSON.stringify(body));
	const listed = await listAll(bob);
	for (const { body } of results) assert.ok(listed.includes(body.id), `${body.id} not listed`);
});

test("a restart of the runtime on the same local state loses nothing", async () => {
	const file = makeDrop("restart", "--plaintext");
	const bytes = readFileSync(file);
	const putHeaders = signed(alice, "write", "PUT", dropsPath, file);
	let r = await fetch(base + dropsPath, { method: "PUT", headers: putHeaders, body: bytes });
	const { id } = await r.json();
	assert.equal(r.status, 201);
	const before = (await listAll(bob)).sort();
	assert.ok(before.includes(id));

	await stopWrangler();
	await startWrangler();

	assert.deepEqual((await listAll(bob)).sort(), before);
	r = await call(bob, "read", "GET", `${dropsPath}/${id}`);
	assert.equal(r.status, 200);
	assert.ok(Buffer.from(await r.arrayBuffer()).equals(bytes), "bytes differ after the restart");
	// The replay memory (KV) survives too: the upload's headers are refused.
	r = await fetch(base + dropsPath, { method: "PUT", headers: putHeaders, body: bytes });
	assert.equal(r.status, 409);
	assert.equal((await r.json()).error.code, "replayed_request");
	r = await call(alice, "write", "DELETE", `${dropsPath}/${id}`);
	assert.equal(r.status, 204);
});

test("after the restart, the drop the package uploaded is listed and comes back whole", async () => {
	const access = { ...kept.access, url: base }; // the restarted runtime listens on a new port
	const listed = await w.relay.listAll(access);
	assert.ok(listed.some((d) => d.id === kept.id), "the package's drop is gone after the restart");
	const store = await w.openMemoryStore();
	await store.ingestDrop(await w.relay.download(access, kept.id));
	assert.deepEqual(await contents(w, store, kept.ns), kept.contents);
	await store.close();
});

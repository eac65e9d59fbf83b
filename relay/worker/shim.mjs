// The Worker entry: a fresh Go instance (build/relay.wasm, built from
// main.go with GOOS=js) per request. The request and env are handed over in
// globalThis.__willowRelay[slot]; Go answers through the slot's resolve.
// build/wasm_exec.js is $(go env GOROOT)/lib/wasm/wasm_exec.js, copied by
// scripts/test-relay.sh (and the "build" npm script).
import "./build/wasm_exec.js";
import relayModule from "./build/relay.wasm";

const slots = (globalThis.__willowRelay ??= Object.create(null));
let seq = 0;

function jsonError(status, code, message) {
	return new Response(JSON.stringify({ error: { code, message } }) + "\n", {
		status,
		headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
	});
}

export default {
	async fetch(request, env) {
		const max = Number(env.MAX_BODY_BYTES) || 64 << 20;
		const length = Number(request.headers.get("Content-Length") ?? 0);
		if (length > max) {
			// Refuse before buffering: the body would be copied into Go as well.
			return jsonError(413, "body_too_large", `the body exceeds ${max} bytes`);
		}
		const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.method !== "OPTIONS";
		const body = hasBody ? new Uint8Array(await request.arrayBuffer()) : null;
		const url = new URL(request.url);
		const slot = `r${++seq}`;
		try {
			const res = await new Promise((resolve, reject) => {
				slots[slot] = {
					request: { method: request.method, url: url.pathname + url.search, headers: [...request.headers], body },
					env,
					resolve,
				};
				const go = new Go();
				go.argv = ["relay", slot];
				WebAssembly.instantiate(relayModule, go.importObject)
					.then((instance) => go.run(instance))
					.then(() => reject(new Error("the relay exited without answering")), reject);
			});
			// res.body is a Uint8Array, or an R2 object's ReadableStream (downloads).
			const empty = res.status === 204 || res.status === 304 || res.body.length === 0;
			return new Response(empty ? null : res.body, { status: res.status, headers: res.headers });
		} catch (err) {
			console.error("relay worker:", err);
			return jsonError(500, "internal_error", "internal error");
		} finally {
			delete slots[slot];
		}
	},
};

// Transports carry requests to one running engine: on the calling thread or
// in a dedicated Worker. Both return raw responses; call() in index.js turns
// them into Readers or WillowErrors.

import { startEngine } from "./engine.js";
import { WillowError } from "./errors.js";

/** Runs the engine on this thread. */
export async function localTransport(module, onEvent) {
  if (typeof globalThis.Go !== "function") await import("./wasm_exec.js");
  const engine = await startEngine(module, onEvent);
  return {
    mode: "thread",
    sync: async (op, req) => engine.call(op, req),
    async: (op, req) => engine.callAsync(op, req),
    ingest: (req) => engine.ingest(req),
    hash: async (data) => engine.hash(data),
    hasherUpdate: async (handle, data) => engine.hasherUpdate(handle, data),
    terminate() {},
  };
}

/** Runs the engine in a dedicated Worker created from the inlined source. */
export async function workerTransport(module, onEvent) {
  if (typeof Worker === "undefined" || typeof Blob === "undefined" || typeof URL.createObjectURL !== "function") {
    throw new WillowError("unsupported", "this platform has no Web Workers; pass { worker: false }");
  }
  const { default: source } = await import("./worker-source.js");
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  let worker;
  try {
    worker = new Worker(url, { name: "willow-web" });
  } finally {
    // The worker has fetched its script once it starts; revoking later is safe.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  const pending = new Map();
  let nextId = 1;
  let broken = null;
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  const fail = (err) => {
    broken = err;
    readyReject(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.onmessage = (ev) => {
    const msg = ev.data;
    if (msg.type === "event") return onEvent(msg.sub, msg.bytes);
    if (msg.type === "ready") return readyResolve();
    if (msg.type === "failed") return fail(new WillowError("worker_failed", msg.message));
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (!p) return;
    if (msg.failed) p.reject(new WillowError("worker_failed", msg.failed));
    else p.resolve(msg.resp);
  };
  worker.onerror = (ev) => {
    ev.preventDefault?.();
    fail(new WillowError("worker_failed", "the willow-web worker failed: " + (ev.message || "unknown error")));
  };
  worker.postMessage({ type: "init", module });
  await ready;
  const send = (mode, op, req, extra) => {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    // Copy into a buffer of its own so it can be transferred.
    const own = req.byteOffset === 0 && req.byteLength === req.buffer.byteLength ? req : req.slice();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, req: own, mode, ...extra }, [own.buffer]);
    });
  };
  return {
    mode: "worker",
    sync: (op, req) => send("sync", op, req),
    async: (op, req) => send("async", op, req),
    ingest: (req) => send("ingest", 0, req),
    hash: (data) => send("hash", 0, data.slice()),
    hasherUpdate: async (handle, data) => (await send("update", 0, data.slice(), { handle }))[0] === 0,
    terminate() {
      worker.terminate();
      fail(new WillowError("closed", "willow-web was shut down"));
    },
  };
}

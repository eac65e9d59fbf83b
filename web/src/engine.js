// The engine runs one instance of willow.wasm on the current thread: in
// Node and in calling-thread mode it is used directly; in a Worker, worker.js
// wraps it. This file is also inlined into the Worker source by
// scripts/build-wasm.sh (with "export" removed), so it imports nothing and
// uses only the Go class that wasm_exec.js defines.

let bootCounter = 0;

/**
 * Instantiates the compiled module and starts the Go program. Resolves with
 * an engine once Go has installed its entry points.
 * onEvent(subscription, bytes) receives batched store events.
 */
export async function startEngine(module, onEvent) {
  const Go = globalThis.Go;
  if (typeof Go !== "function") throw new Error("wasm_exec.js did not define Go");
  const go = new Go();
  const bootName = "__willow_boot_" + Date.now().toString(36) + "_" + bootCounter++;
  go.argv = ["willow.wasm", bootName];
  go.env = {};
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const ex = instance.exports;
  const pending = new Map();
  let nextId = 1;
  let exitError = null;
  let readyResolve;
  const ready = new Promise((resolve) => (readyResolve = resolve));
  const copyOut = (ptr, len) => new Uint8Array(ex.mem.buffer, ptr, len).slice();
  const boot = {
    ready() {
      readyResolve();
    },
    done(id, ptr, len) {
      const p = pending.get(id);
      pending.delete(id);
      if (p) p.resolve(copyOut(ptr, len));
    },
    event(sub, ptr, len) {
      onEvent(sub, copyOut(ptr, len));
    },
  };
  globalThis[bootName] = boot;
  const exited = go.run(instance).then(
    () => new Error("the Go program exited"),
    (err) => err,
  );
  exited.then((err) => {
    exitError = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    readyResolve();
  });
  await ready;
  delete globalThis[bootName];
  if (exitError) throw exitError;

  const write = (data) => {
    const ptr = ex.willow_reserve(data.length);
    new Uint8Array(ex.mem.buffer, ptr, data.length).set(data);
  };
  const alive = () => {
    if (exitError) throw exitError;
  };
  return {
    /** Runs a synchronous op; returns the raw response (a fresh copy). */
    call(op, req) {
      alive();
      write(req);
      const n = ex.willow_call(op, req.length);
      return copyOut(ex.willow_out(), n);
    },
    /** Runs an op that may block in a goroutine; resolves with the raw response. */
    callAsync(op, req) {
      alive();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        boot.async(id, op, req);
      });
    },
    /** WILLIAM3 of data through the framing-free export. */
    hash(data) {
      alive();
      write(data);
      return copyOut(ex.willow_hash(data.length), 32);
    },
    /** Feeds data to an incremental hasher; false if the handle is unknown. */
    hasherUpdate(handle, data) {
      alive();
      write(data);
      return ex.willow_hasher_update(handle, data.length) === 0;
    },
  };
}

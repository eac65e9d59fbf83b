// The body of the dedicated Worker (classic script). scripts/build-wasm.sh
// inlines wasm_exec.js, engine.js and this file into dist/worker-source.js,
// so bundlers need no extra file.
//
// Messages in:  {type: "init", module}            → {type: "ready"} | {type: "failed", message}
//               {id, op, req, mode}               → {id, resp}  (mode: "sync" | "async" | "hash" | "update" | "ingest")
//               ({handle} for mode "update"; resp for "update" is [0] or [1];
//               "ingest" takes and answers what op 0x8a does, verifying the
//               batch's signatures with WebCrypto here: engine.ingest)
// Messages out: {type: "event", sub, bytes}       batched store events

let engine = null;

self.onmessage = async (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    try {
      // No page waits on this thread: WebCrypto verifies are handed over
      // without turns of the event loop in between.
      const onEvent = (sub, bytes) => {
        self.postMessage({ type: "event", sub, bytes }, [bytes.buffer]);
      };
      engine = await startEngine(msg.module, onEvent, { verifyYieldEvery: 0 });
      self.postMessage({ type: "ready" });
    } catch (err) {
      self.postMessage({ type: "failed", message: String((err && err.message) || err) });
    }
    return;
  }
  let resp;
  try {
    switch (msg.mode) {
      case "sync":
        resp = engine.call(msg.op, msg.req);
        break;
      case "async":
        resp = await engine.callAsync(msg.op, msg.req);
        break;
      case "hash":
        resp = engine.hash(msg.req);
        break;
      case "ingest":
        resp = await engine.ingest(msg.req);
        break;
      case "update":
        resp = new Uint8Array([engine.hasherUpdate(msg.handle, msg.req) ? 0 : 1]);
        break;
    }
  } catch (err) {
    self.postMessage({ id: msg.id, failed: String((err && err.message) || err) });
    return;
  }
  self.postMessage({ id: msg.id, resp }, [resp.buffer]);
};

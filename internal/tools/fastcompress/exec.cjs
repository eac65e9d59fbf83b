// Runs a js/wasm Go binary (a test binary built with the willowfast tag)
// under Node with the willow_fast import linked in, like Go's
// go_js_wasm_exec does without it. Used as `go test -exec`:
//   FASTCOMPRESS_WASM=module.wasm GOOS=js GOARCH=wasm go test -tags willowfast \
//     -exec="node internal/tools/fastcompress/exec.cjs" ./core/bab/...
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

globalThis.require = require;
globalThis.fs = fs;
globalThis.path = path;
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("perf_hooks").performance;
globalThis.crypto ??= require("crypto");

const goroot = process.env.GOROOT || execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
require(path.join(goroot, "lib", "wasm", "wasm_exec.js"));

const fast = fs.readFileSync(process.env.FASTCOMPRESS_WASM);
const go = new Go();
go.argv = process.argv.slice(2);
go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
go.exit = process.exit;
let chunks = null;
const imports = Object.assign({}, go.importObject, {
  willow_fast: { chunks: (p, d, n, o) => chunks(p, d, n, o) },
});
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), imports)
  .then(async (result) => {
    const mod = await WebAssembly.instantiate(fast, { go: { mem: result.instance.exports.mem } });
    chunks = mod.instance.exports.chunks;
    process.on("exit", (code) => {
      if (code === 0 && !go.exited) {
        go._pendingEvent = { id: 0 };
        go._resume();
      }
    });
    return go.run(result.instance);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

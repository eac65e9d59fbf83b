// Command wasm is the willow-web WebAssembly module (GOOS=js GOARCH=wasm);
// build it with scripts/build-wasm.sh. On other platforms it only explains
// that. See PROTOCOL.md for the byte protocol it speaks.
package main

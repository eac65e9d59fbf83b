// Package jsbridge is the JavaScript side of the willow-web core: every
// conversion between JavaScript values and core values goes through it.
//
// JavaScript and Go talk in one byte protocol (see wasm/PROTOCOL.md). A
// request is an op code plus arguments encoded in a byte buffer; the
// response is bytes: a status byte, then either the encoded result or an
// error code and message. Batches travel in one request, so the cost of
// crossing between JavaScript and WebAssembly is paid per batch, query page
// or chunk, never per entry or path component.
//
// The package has two layers:
//
//   - the wire format ([Writer], [Reader]) and the op handlers ([Bridge.Call]),
//     plain Go over byte slices that the native test suite covers;
//   - the host glue (host_js.go, js/wasm only): the only code besides a
//     future IndexedDB backend that touches syscall/js. It exposes the
//     asynchronous entry point that runs store operations in goroutines and
//     resolves a JavaScript Promise, and delivers subscription events.
package jsbridge

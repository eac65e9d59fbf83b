//go:build js && wasm && willowfast

package compress

import "unsafe"

// The willowfast build (scripts/build-wasm.sh) compresses runs of full chunks
// in a small hand-written WebAssembly module that the host links in as
// willow_fast.chunks (internal/tools/fastcompress generates it; web/src/engine.js
// provides it). It works on this module's memory directly; the pointers stay
// valid because Go's garbage collector does not move objects and nothing else
// runs during the call.

//go:wasmimport willow_fast chunks
//go:noescape
func fastChunks(params, data unsafe.Pointer, n int32, out unsafe.Pointer)

func chunks(p *ChunkParams, data []byte, out [][8]uint32) {
	fastChunks(unsafe.Pointer(p), unsafe.Pointer(unsafe.SliceData(data)), int32(len(out)), unsafe.Pointer(unsafe.SliceData(out)))
}

// Package compress implements the BLAKE3 compression function with the
// initialisation constants as a parameter, as WILLIAM3 (Bab) needs it.
//
// It is the only hot loop of the bab package: the rounds are fully unrolled,
// the state lives in local variables and nothing is allocated.
//
// [Chunks] hashes runs of full chunks. Built with the willowfast tag for
// js/wasm (as scripts/build-wasm.sh builds the npm package's module) it calls
// a hand-written WebAssembly module the host links in (see
// internal/tools/fastcompress); every other build runs it in Go.
package compress

// BlockLen is the size of one compression input block in bytes.
const BlockLen = 64

// Flags of the BLAKE3 compression function, shared by WILLIAM3.
const (
	ChunkStart = 1 << 0
	ChunkEnd   = 1 << 1
	Parent     = 1 << 2
	Root       = 1 << 3
	KeyedHash  = 1 << 4
)

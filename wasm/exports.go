//go:build js && wasm

package main

import (
	"unsafe"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/jsbridge"
)

// Global state, forced by //go:wasmexport: exported functions take only
// numbers, so the bridge and the two buffers they work on live in package
// variables. JavaScript writes a request into in (after willow_reserve) and
// reads the response from out (at willow_out) before its next call. The
// module serves one JavaScript thread, which never reenters these functions.
var (
	bridge *jsbridge.Bridge
	in     []byte
	out    []byte
	digest bab.Digest
)

// addr is the linear-memory address of b's first byte.
func addr(b []byte) uint32 {
	if cap(b) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

// willowReserve makes the request buffer hold at least n bytes and returns
// its address. The address changes only when the buffer grows.
//
//go:wasmexport willow_reserve
func willowReserve(n uint32) uint32 {
	if uint32(cap(in)) < n {
		in = make([]byte, max(n, 2*uint32(cap(in)), 4096))
	}
	return addr(in)
}

// willowCall runs the synchronous op on the first n bytes of the request
// buffer and returns the length of the response, which starts at willow_out.
//
//go:wasmexport willow_call
func willowCall(op, n uint32) uint32 {
	if op > 0xff || jsbridge.IsAsync(byte(op)) {
		out = []byte{1, 0, 0} // status error, empty code and message
		out = append(out[:1], errString("unknown_op")...)
		out = append(out, errString("op is not synchronous")...)
		return uint32(len(out))
	}
	// The response buffer is reused: JavaScript copies the response out
	// before its next call.
	out = bridge.CallAppend(out, byte(op), in[:n])
	return uint32(len(out))
}

func errString(s string) []byte { return append([]byte{byte(len(s))}, s...) }

// willowOut returns the address of the last response.
//
//go:wasmexport willow_out
func willowOut() uint32 { return addr(out) }

// willowHash hashes the first n bytes of the request buffer with WILLIAM3
// and returns the address of the 32-byte digest: the hot path, with no
// framing at all.
//
//go:wasmexport willow_hash
func willowHash(n uint32) uint32 {
	digest = bab.Sum(in[:n])
	return addr(digest[:])
}

// willowHasherUpdate feeds the first n bytes of the request buffer to the
// incremental hasher with the given handle; it returns 0, or 1 if there is no
// such hasher.
//
//go:wasmexport willow_hasher_update
func willowHasherUpdate(handle uint32, n uint32) uint32 {
	if bridge.HasherUpdate(uint64(handle), in[:n]) != nil {
		return 1
	}
	return 0
}

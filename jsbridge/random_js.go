//go:build js && wasm

package jsbridge

import (
	"io"
	"syscall/js"
)

// defaultRand draws key material from the JavaScript engine's
// crypto.getRandomValues, the source crypto/rand would use here too:
// importing crypto/rand would link Go's FIPS module (a DRBG over AES and
// its self-tests) into the WebAssembly module.
func defaultRand() io.Reader { return jsRandom{} }

type jsRandom struct{}

// Read fills p from crypto.getRandomValues, at most 65536 bytes per call
// (its limit). Key generation asks for 32 bytes at a time: one JS call.
func (jsRandom) Read(p []byte) (int, error) {
	crypto := js.Global().Get("crypto")
	for off := 0; off < len(p); {
		n := min(len(p)-off, 65536)
		a := js.Global().Get("Uint8Array").New(n)
		crypto.Call("getRandomValues", a)
		js.CopyBytesToGo(p[off:off+n], a)
		off += n
	}
	return len(p), nil
}

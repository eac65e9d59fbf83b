//go:build !(js && wasm)

package jsbridge

import (
	"crypto/rand"
	"io"
)

// defaultRand draws key material from crypto/rand (native builds, tests).
func defaultRand() io.Reader { return rand.Reader }

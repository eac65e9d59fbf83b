package conformance

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
)

// Helpers the encoding tests of core/path, core/entry and core/grouping share.

// Modes returns both decoder modes, relation first.
func Modes() []codec.Mode { return []codec.Mode{codec.Relation, codec.Canonic} }

// Scale scales an iteration count down for -short runs (such as the wasm
// tests under Node).
func Scale(n int) int {
	if testing.Short() {
		return n / 10
	}
	return n
}

// Hex renders bytes for failure messages, cut after 48 bytes.
func Hex(b []byte) string {
	if len(b) > 48 {
		return hex.EncodeToString(b[:48]) + "…"
	}
	return hex.EncodeToString(b)
}

// MustBeDecodeError fails the test unless err is a *codec.DecodeError.
func MustBeDecodeError(t testing.TB, err error) {
	t.Helper()
	var de *codec.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *codec.DecodeError", err)
	}
}

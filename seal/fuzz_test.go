package seal_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal"
)

// FuzzOpen: Open and reading the plaintext never panic, and every failure
// on in-memory input is one of the package's typed errors.
func FuzzOpen(f *testing.F) {
	var sk ids.SecretKey
	sk[0] = 1
	id, err := seal.SubspaceIdentity(sk)
	if err != nil {
		f.Fatal(err)
	}
	r, err := seal.SubspaceRecipient(ids.SubspaceID(sk.PublicKey()))
	if err != nil {
		f.Fatal(err)
	}
	plain := makeDrop(f, []byte("fuzz"), bytes.Repeat([]byte{7}, 70000))
	f.Add(sealBytes(f, plain, r))
	f.Add(sealBytes(f, []byte{0}, r))
	f.Add([]byte(seal.Magic))
	f.Add(plain)
	typed := []error{seal.ErrNotSealed, seal.ErrNoIdentity, seal.ErrTampered, seal.ErrNotDrop, seal.ErrWrongPassphrase}
	f.Fuzz(func(t *testing.T, in []byte) {
		pr, err := seal.Open(bytes.NewReader(in), id)
		if err == nil {
			_, err = io.Copy(io.Discard, pr)
		}
		if err != nil {
			for _, e := range typed {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("untyped error: %v", err)
		}
	})
}

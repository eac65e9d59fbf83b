package meadowcap

import (
	"crypto/ed25519"
	"errors"

	"github.com/willow-web/willow-web/core/ids"
)

// verify checks sig over msg under the 32-byte public key pk. It is the one
// place where this package decides how strictly signatures are verified.
//
// TODO(meadowcap): switch to core/ed25519strict (verify_strict semantics)
// once it is committed; until then this is crypto/ed25519, which is not
// strict about small-order keys and R values.
func verify(pk [32]byte, msg []byte, sig ids.Signature) error {
	if !ed25519.Verify(pk[:], msg, sig[:]) {
		return errBadSignature
	}
	return nil
}

var errBadSignature = errors.New("ed25519: signature does not verify")

package meadowcap

import (
	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/ids"
)

// verify checks sig over msg under the 32-byte public key pk with the strict
// rules Willow'25 prescribes (ed25519_dalek's verify_strict: canonical S,
// small-order keys and R values refused, cofactorless equation). It returns
// nil or the ed25519strict error saying why. It is the one place where this
// package decides how signatures are verified. eq evaluates the final
// equation (nil: in Go); the strict checks of the encodings are made here
// whatever eq is (see ed25519strict.CheckWith).
func verify(eq ed25519strict.EquationChecker, pk [32]byte, msg []byte, sig ids.Signature) error {
	return ed25519strict.CheckWith(eq, pk[:], msg, sig[:])
}

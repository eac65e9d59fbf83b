package ids

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/internal/wrap"
)

// SecretKey is an ed25519 private key seed (32 bytes): the secret matching a
// namespace id or a subspace id.
type SecretKey [32]byte

// Signature is an ed25519 signature.
type Signature [64]byte

// PublicKey returns the ed25519 public key of the secret.
func (k SecretKey) PublicKey() [32]byte {
	seed := [32]byte(k)
	return ed25519strict.PublicKey(&seed)
}

// Sign signs message with the secret (deterministic ed25519).
func (k SecretKey) Sign(message []byte) Signature {
	seed := [32]byte(k)
	return Signature(ed25519strict.Sign(&seed, message))
}

// GenerateSubspace creates a fresh subspace key pair from rand (use
// crypto/rand.Reader).
func GenerateSubspace(rand io.Reader) (SubspaceID, SecretKey, error) {
	pk, sk, err := generate(rand, func([32]byte) bool { return true })
	return SubspaceID(pk), sk, err
}

// GenerateCommunalNamespace creates a key pair whose public key is a communal
// namespace id (last bit 0), by rejection sampling.
func GenerateCommunalNamespace(rand io.Reader) (NamespaceID, SecretKey, error) {
	pk, sk, err := generate(rand, func(pk [32]byte) bool { return NamespaceID(pk).IsCommunal() })
	return NamespaceID(pk), sk, err
}

// GenerateOwnedNamespace creates a key pair whose public key is an owned
// namespace id (last bit 1), by rejection sampling. The secret is the
// namespace's owner key, which signs initial authorisations.
func GenerateOwnedNamespace(rand io.Reader) (NamespaceID, SecretKey, error) {
	pk, sk, err := generate(rand, func(pk [32]byte) bool { return NamespaceID(pk).IsOwned() })
	return NamespaceID(pk), sk, err
}

// generate draws seeds until the public key satisfies accept. Each draw
// succeeds with probability 1/2 for the namespace kinds, so the loop ends
// quickly; it is bounded to turn a broken random source into an error.
func generate(rand io.Reader, accept func([32]byte) bool) ([32]byte, SecretKey, error) {
	for range 256 {
		var sk SecretKey
		if _, err := io.ReadFull(rand, sk[:]); err != nil {
			return [32]byte{}, SecretKey{}, wrap.Prefix("generate key: read randomness", err)
		}
		if pk := sk.PublicKey(); accept(pk) {
			return pk, sk, nil
		}
	}
	return [32]byte{}, SecretKey{}, errors.New("generate key: no suitable key in 256 draws; is the random source broken?")
}

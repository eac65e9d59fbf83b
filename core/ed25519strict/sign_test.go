package ed25519strict

import (
	"crypto/ed25519"
	"math/rand/v2"
	"testing"
)

// TestAgainstCryptoEd25519 compares PublicKey, Sign and the equation with
// crypto/ed25519 on random seeds and messages, including corrupted
// signatures.
func TestAgainstCryptoEd25519(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 200 {
		var seed [SeedSize]byte
		for j := range seed {
			seed[j] = byte(rng.Uint32())
		}
		msg := make([]byte, rng.IntN(300))
		for j := range msg {
			msg[j] = byte(rng.Uint32())
		}
		std := ed25519.NewKeyFromSeed(seed[:])
		pk := PublicKey(&seed)
		if string(pk[:]) != string(std[32:]) {
			t.Fatalf("seed %x: public key %x, crypto/ed25519 %x", seed, pk, std[32:])
		}
		sig := Sign(&seed, msg)
		if want := ed25519.Sign(std, msg); string(sig[:]) != string(want) {
			t.Fatalf("seed %x: signature %x, crypto/ed25519 %x", seed, sig, want)
		}
		if err := Check(pk[:], msg, sig[:]); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		bad := sig
		bad[rng.IntN(64)] ^= 1 << rng.IntN(8)
		if i%2 == 0 && len(msg) > 0 {
			bad = sig
			msg[0] ^= 1
		}
		if got, want := equation(pk[:], msg, bad[:]), ed25519.Verify(ed25519.PublicKey(std[32:]), msg, bad[:]); got != want {
			t.Fatalf("equation %v, crypto/ed25519.Verify %v", got, want)
		}
	}
}

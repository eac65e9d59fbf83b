package sha512

import (
	"crypto/sha512"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

func TestKnownAnswers(t *testing.T) {
	for in, want := range map[string]string{
		"":    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
		"abc": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	} {
		got := Sum512([]byte(in))
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("SHA-512(%q) = %x", in, got)
		}
	}
}

// TestAgainstStdlib compares every length up to 600 bytes (all padding
// cases, several blocks) and random write splits with crypto/sha512.
func TestAgainstStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 2000)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for n := 0; n <= 600; n++ {
		if got, want := Sum512(data[:n]), sha512.Sum512(data[:n]); got != want {
			t.Fatalf("length %d: %x, want %x", n, got, want)
		}
	}
	for range 300 {
		n := rng.IntN(len(data))
		d := New()
		for rest := data[:n]; len(rest) > 0; {
			k := rng.IntN(min(len(rest), 300) + 1)
			d.Write(rest[:k])
			rest = rest[k:]
		}
		if got, want := d.Sum(), sha512.Sum512(data[:n]); got != want {
			t.Fatalf("split length %d: %x, want %x", n, got, want)
		}
		d.Write([]byte("more"))
		if got, want := d.Sum(), sha512.Sum512(append(data[:n:n], "more"...)); got != want {
			t.Fatalf("Sum changed the state (length %d)", n)
		}
	}
}

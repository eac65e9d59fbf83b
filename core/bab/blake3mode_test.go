package bab

import (
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/bab/internal/compress"
	"github.com/zeebo/blake3"
)

// blake3Mode returns the tree parameters that turn our code into BLAKE3.
func blake3Mode(key *[KeySize]byte) mode {
	m := mode{key: blake3IV(), iv: blake3IV(), blake3: true}
	if key != nil {
		m.key = keyWords(key)
		m.chunkFlags = compress.KeyedHash
		m.parentFlags = compress.KeyedHash
	}
	return m
}

// TestBlake3Differential runs the compression function, chunk hashing, the
// tree and the incremental hasher in BLAKE3 mode against zeebo/blake3.
func TestBlake3Differential(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var key [KeySize]byte
	copy(key[:], randomBytes(rng, KeySize))
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	for _, n := range interestingLengths(rng, 20*1024, rounds) {
		data := randomBytes(rng, n)
		want := blake3.Sum256(data)
		h := newMode(blake3Mode(nil))
		for rest := data; len(rest) > 0; {
			k := 1 + rng.IntN(min(len(rest), 1500))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		if got := h.Digest(); got != Digest(want) {
			t.Fatalf("len %d: BLAKE3 mode %x, zeebo %x", n, got, want)
		}
		kh, err := blake3.NewKeyed(key[:])
		if err != nil {
			t.Fatal(err)
		}
		kh.Write(data)
		var wantKeyed Digest
		copy(wantKeyed[:], kh.Sum(nil))
		h = newMode(blake3Mode(&key))
		h.Write(data)
		if got := h.Digest(); got != wantKeyed {
			t.Fatalf("len %d keyed: BLAKE3 mode %x, zeebo %x", n, got, wantKeyed)
		}
	}
}

func TestBlake3KnownAnswers(t *testing.T) {
	for in, want := range map[string]string{
		"":    "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
		"abc": "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
	} {
		h := newMode(blake3Mode(nil))
		h.Write([]byte(in))
		if got := h.Digest().String(); got != want {
			t.Errorf("BLAKE3(%q) = %s, want %s", in, got, want)
		}
	}
	// WILLIAM3's constants are the words of BLAKE3("WILLIAM3").
	h := newMode(blake3Mode(nil))
	h.Write([]byte("WILLIAM3"))
	d := h.Digest()
	if digest2words(&d) != william3IV() {
		t.Fatalf("BLAKE3(\"WILLIAM3\") = %s does not give the WILLIAM3 IV", d)
	}
}

package compress

import (
	"encoding/binary"
	"encoding/hex"
	"testing"
)

// TestBlake3Empty computes BLAKE3("") with one call: the empty input is one
// zero block of length 0 with CHUNK_START, CHUNK_END and ROOT.
func TestBlake3Empty(t *testing.T) {
	iv := [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	cv := iv
	var block [BlockLen]byte
	Block(&cv, &iv, &block, 0, 0, ChunkStart|ChunkEnd|Root)
	var out [32]byte
	for i, w := range cv {
		binary.LittleEndian.PutUint32(out[4*i:], w)
	}
	if got, want := hex.EncodeToString(out[:]), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"; got != want {
		t.Fatalf("BLAKE3(\"\") = %s, want %s", got, want)
	}
}

func TestNoAllocs(t *testing.T) {
	iv := [8]uint32{1, 2, 3, 4, 5, 6, 7, 8}
	cv := iv
	var block [BlockLen]byte
	if n := testing.AllocsPerRun(100, func() { Block(&cv, &iv, &block, 1, 64, 0) }); n != 0 {
		t.Fatalf("%v allocations per block", n)
	}
}

package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/internal/conformance"
)

func TestCU64SpecExamples(t *testing.T) {
	// encodings.tsx, "Compact Integer Encodings": five tags of width 4 for
	// 7, three of width 2 for 300, and the minimal ones.
	if got := conformance.ValidTags(7, 4); !bytes.Equal(got, []byte{7, 12, 13, 14, 15}) {
		t.Errorf("valid 4-bit tags for 7 = %v", got)
	}
	if got := conformance.ValidTags(300, 2); !bytes.Equal(got, []byte{1, 2, 3}) {
		t.Errorf("valid 2-bit tags for 300 = %v", got)
	}
	if got := codec.CU64Tag(7, 4); got != 7 {
		t.Errorf("minimal 4-bit tag for 7 = %d, want 7", got)
	}
	if got := codec.CU64Tag(300, 2); got != 1 {
		t.Errorf("minimal 2-bit tag for 300 = %d, want 1", got)
	}
	// Standalone codes (8-bit tag byte, then big-endian bytes).
	for _, c := range []struct {
		n    uint64
		code string
	}{
		{0, "00"}, {3, "03"}, {251, "fb"}, {252, "fcfc"}, {255, "fcff"}, {256, "fd0100"}, {258, "fd0102"},
		{65535, "fdffff"}, {65536, "fe00010000"}, {1<<32 - 1, "feffffffff"},
		{1 << 32, "ff0000000100000000"}, {1<<64 - 1, "ffffffffffffffffff"},
	} {
		if got := hex.EncodeToString(codec.AppendStandaloneCU64(nil, c.n)); got != c.code {
			t.Errorf("standalone %d = %s, want %s", c.n, got, c.code)
		}
	}
	// Inline maxima per width: 2^w − 5 (none for w = 2).
	for w := uint(2); w <= 8; w++ {
		max := int64(1)<<w - 5
		for n := int64(0); n <= max+1; n++ {
			inline := codec.CU64Len(uint64(n), w) == 0
			if inline != (n <= max) {
				t.Errorf("width %d: %d inline = %v", w, n, inline)
			}
		}
	}
}

// cu64Values are the values the property tests run over.
func cu64Values(r *rand.Rand, n int) []uint64 {
	vals := append([]uint64(nil), conformance.EdgeU64...)
	for range n {
		vals = append(vals, conformance.U64(r))
	}
	return vals
}

func TestCU64Properties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for w := uint(codec.MinTagWidth); w <= codec.MaxTagWidth; w++ {
		for _, n := range cu64Values(r, 2000) {
			tags := conformance.ValidTags(n, w)
			min := codec.CU64Tag(n, w)
			if min != tags[0] {
				t.Fatalf("w=%d n=%d: minimal tag %d, want the least valid tag %d", w, n, min, tags[0])
			}
			canonic := codec.AppendCU64(nil, n, w)
			if want := conformance.AppendCU64Bytes(nil, n, min, w); !bytes.Equal(canonic, want) || codec.CU64Len(n, w) != len(want) {
				t.Fatalf("w=%d n=%d: AppendCU64 = %x (len %d), want %x", w, n, canonic, codec.CU64Len(n, w), want)
			}
			for _, tag := range tags {
				code := conformance.AppendCU64Bytes(nil, n, tag, w)
				// Every code of the relation decodes, consuming exactly it.
				d := codec.NewDecoder(append(code, 0xaa, 0x55), codec.Relation)
				if got, err := d.CU64(tag, w, "n"); err != nil || got != n || d.Offset() != len(code) {
					t.Fatalf("w=%d n=%d tag=%d: relation decode = %d, %v after %d bytes", w, n, tag, got, err, d.Offset())
				}
				// Only the minimal one is canonic.
				d = codec.NewDecoder(code, codec.Canonic)
				got, err := d.CU64(tag, w, "n")
				if tag == min {
					if err != nil || got != n {
						t.Fatalf("w=%d n=%d: canonic decode of the minimal code = %d, %v", w, n, got, err)
					}
				} else if !errors.Is(err, codec.ErrNonCanonic) {
					t.Fatalf("w=%d n=%d tag=%d: canonic decode error %v, want ErrNonCanonic", w, n, tag, err)
				}
				// Every strict prefix is truncated.
				for l := 0; l < len(code); l++ {
					for _, mode := range []codec.Mode{codec.Relation, codec.Canonic} {
						if _, err := codec.NewDecoder(code[:l], mode).CU64(tag, w, "n"); !errors.Is(err, codec.ErrTruncated) {
							t.Fatalf("w=%d n=%d tag=%d: prefix of %d bytes: %v, want ErrTruncated", w, n, tag, l, err)
						}
					}
				}
			}
		}
	}
}

func TestCU64Injective(t *testing.T) {
	// Unequal values never share a code: same width, same tag ⇒ different
	// bytes, and canonically the (tag, bytes) pairs differ.
	r := rand.New(rand.NewPCG(3, 4))
	for w := uint(codec.MinTagWidth); w <= codec.MaxTagWidth; w++ {
		for range 5000 {
			a, b := conformance.U64(r), conformance.U64(r)
			if a == b {
				continue
			}
			ta, tb := codec.CU64Tag(a, w), codec.CU64Tag(b, w)
			if ta == tb && bytes.Equal(codec.AppendCU64(nil, a, w), codec.AppendCU64(nil, b, w)) {
				t.Fatalf("w=%d: %d and %d share the code", w, a, b)
			}
			if bytes.Equal(codec.AppendStandaloneCU64(nil, a), codec.AppendStandaloneCU64(nil, b)) {
				t.Fatalf("%d and %d share a standalone code", a, b)
			}
		}
	}
}

func TestStandaloneCU64Properties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range cu64Values(r, 5000) {
		canonic := codec.AppendStandaloneCU64(nil, n)
		for _, tag := range conformance.ValidTags(n, 8) {
			code := conformance.AppendCU64Bytes([]byte{tag}, n, tag, 8)
			d := codec.NewDecoder(append(code, 0x00), codec.Relation)
			if got, err := d.StandaloneCU64("n"); err != nil || got != n || d.Offset() != len(code) {
				t.Fatalf("n=%d tag=%d: relation decode = %d, %v after %d bytes", n, tag, got, err, d.Offset())
			}
			d = codec.NewDecoder(code, codec.Canonic)
			got, err := d.StandaloneCU64("n")
			switch {
			case bytes.Equal(code, canonic):
				if err != nil || got != n {
					t.Fatalf("n=%d: canonic decode of %x = %d, %v", n, code, got, err)
				}
			case !errors.Is(err, codec.ErrNonCanonic):
				t.Fatalf("n=%d: canonic decode of non-minimal %x: %v, want ErrNonCanonic", n, code, err)
			}
			for l := 0; l < len(code); l++ {
				if _, err := codec.NewDecoder(code[:l], codec.Relation).StandaloneCU64("n"); !errors.Is(err, codec.ErrTruncated) {
					t.Fatalf("n=%d: prefix %x: %v, want ErrTruncated", n, code[:l], err)
				}
			}
		}
	}
}

func TestDecoderBounds(t *testing.T) {
	d := codec.NewDecoder([]byte{1, 2, 3}, codec.Relation)
	if d.Canonic() {
		t.Error("relation decoder claims to be canonic")
	}
	if _, err := d.Bytes(-1, "x"); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("Bytes(-1) = %v", err)
	}
	if _, err := d.Bytes(4, "x"); !errors.Is(err, codec.ErrTruncated) || d.Offset() != 0 {
		t.Errorf("Bytes(4) of 3 = %v at %d", err, d.Offset())
	}
	b, err := d.Bytes(2, "x")
	if err != nil || !bytes.Equal(b, []byte{1, 2}) || d.Remaining() != 1 || !bytes.Equal(d.Rest(), []byte{3}) {
		t.Fatalf("Bytes(2) = %v, %v; remaining %d", b, err, d.Remaining())
	}
	// The returned slice cannot grow into the rest of the input.
	_ = append(b, 9)
	if d.Rest()[0] != 3 {
		t.Error("appending to a returned slice overwrote the input")
	}
	if _, err := d.Array32("id"); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("Array32 = %v", err)
	}
	if _, err := d.Array64("sig"); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("Array64 = %v", err)
	}
	if x, err := d.Byte("x"); err != nil || x != 3 {
		t.Errorf("Byte = %d, %v", x, err)
	}
	_, err = d.Byte("the field")
	var de *codec.DecodeError
	if !errors.As(err, &de) || de.Offset != 3 || de.Field != "the field" || !errors.Is(err, codec.ErrTruncated) {
		t.Fatalf("Byte at the end = %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "the field") || !strings.Contains(msg, "byte 3") {
		t.Errorf("error message %q lacks the field or offset", msg)
	}
	if !codec.NewDecoder(nil, codec.Canonic).Canonic() {
		t.Error("canonic decoder claims not to be canonic")
	}
}

// FuzzCU64 decodes a compact u64 of every width (the first byte picks the
// width and the tag, the rest are the corresponding bytes) and a standalone
// one.
func FuzzCU64(f *testing.F) {
	for _, n := range conformance.EdgeU64 {
		for w := uint(2); w <= 8; w++ {
			for _, tag := range conformance.ValidTags(n, w) {
				f.Add(append([]byte{byte(w-2)<<5 | tag&0x1f}, conformance.AppendCU64Bytes(nil, n, tag, w)...))
			}
		}
		f.Add(codec.AppendStandaloneCU64(nil, n))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		w := uint(data[0]>>5)%7 + 2
		tag := data[0] & (1<<w - 1)
		for _, mode := range []codec.Mode{codec.Relation, codec.Canonic} {
			// A tag of width w and its corresponding bytes.
			body := data[1:]
			d := codec.NewDecoder(body, mode)
			n, err := d.CU64(tag, w, "fuzz")
			if err != nil {
				mustBeDecodeError(t, err)
			} else {
				canonic := codec.AppendCU64(nil, n, w)
				if mode == codec.Canonic && (codec.CU64Tag(n, w) != tag || !bytes.Equal(canonic, body[:d.Offset()])) {
					t.Fatalf("w=%d: canonic decode of tag %d + %x gave %d, whose code is tag %d + %x",
						w, tag, body[:d.Offset()], n, codec.CU64Tag(n, w), canonic)
				}
				d2 := codec.NewDecoder(canonic, codec.Canonic)
				if again, err := d2.CU64(codec.CU64Tag(n, w), w, "fuzz"); err != nil || again != n || d2.Remaining() != 0 {
					t.Fatalf("w=%d: re-encoded %d decodes to %d, %v", w, n, again, err)
				}
			}
			// A standalone compact u64.
			d = codec.NewDecoder(data, mode)
			n, err = d.StandaloneCU64("fuzz")
			if err != nil {
				mustBeDecodeError(t, err)
				continue
			}
			canonic := codec.AppendStandaloneCU64(nil, n)
			if mode == codec.Canonic && !bytes.Equal(canonic, data[:d.Offset()]) {
				t.Fatalf("canonic standalone decode of %x gave %d, whose code is %x", data[:d.Offset()], n, canonic)
			}
			d2 := codec.NewDecoder(canonic, codec.Canonic)
			if again, err := d2.StandaloneCU64("fuzz"); err != nil || again != n || d2.Remaining() != 0 {
				t.Fatalf("re-encoded standalone %d decodes to %d, %v", n, again, err)
			}
		}
	})
}

func mustBeDecodeError(t *testing.T, err error) {
	t.Helper()
	var de *codec.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *codec.DecodeError", err)
	}
	for _, kind := range []error{codec.ErrTruncated, codec.ErrNonCanonic, codec.ErrLimit, codec.ErrInvalid} {
		if errors.Is(err, kind) {
			return
		}
	}
	t.Fatalf("error %v wraps no known kind", err)
}

package path_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/internal/conformance"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// Property tests of EncodePath, EncodePathRelativePath and
// EncodePathExtendsPath (encodings.tsx, "Path Encoding"). The naive encoder
// of core/internal/conformance produces every code of the relations.

func encMust(comps ...[]byte) path.Path {
	p, err := path.New(comps...)
	if err != nil {
		panic(err)
	}
	return p
}

// encEdgePaths are paths at the shapes where the encoding changes.
func encEdgePaths() []path.Path {
	rep := func(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }
	ones := make([][]byte, path.MaxComponentCount)
	for i := range ones {
		ones[i] = []byte{byte(i)}
	}
	return []path.Path{
		{},
		encMust([]byte{}),
		encMust([]byte{}, []byte{}),
		encMust(make([][]byte, path.MaxComponentCount)...), // 4096 empty components
		encMust(ones...),                         // 4096 components, 4096 bytes
		encMust(rep(7, path.MaxPathLength)),      // one component of 4096 bytes
		encMust(rep(1, 2048), rep(2, 2048)),      // two of 2048
		encMust(rep(1, 4095), []byte{}),          // a long one then an empty one
		encMust([]byte{}, rep(1, 4095)),          // an empty one then a long one
		encMust(rep(3, 11)), encMust(rep(3, 12)), // total length tag boundary
		encMust(rep(3, 251), rep(4, 1)), encMust(rep(3, 252), rep(4, 1)), // standalone length boundary
		encMust(rep(3, 255), rep(4, 1)), encMust(rep(3, 256), rep(4, 1)),
		encMust(make([][]byte, 11)...), encMust(make([][]byte, 12)...), // count tag boundary
		encMust(make([][]byte, 255)...), encMust(make([][]byte, 256)...),
		path.MustFromStrings("blog", "ideas", "fun"),
	}
}

func encPaths(r *rand.Rand, n int) []path.Path {
	out := encEdgePaths()
	for range n {
		out = append(out, conformance.Path(r))
	}
	return out
}

// encPrefixLens are the prefix lengths of a code worth decoding: all of them
// for short codes, a sample for long ones.
func encPrefixLens(r *rand.Rand, n int) []int {
	if n <= 300 {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := []int{0, 1, 2, 3, 4, 5, n - 2, n - 1}
	for range 40 {
		out = append(out, r.IntN(n))
	}
	return out
}

// encCheckTruncated requires every strict prefix of code to fail with
// ErrTruncated in both conformance.Modes().
func encCheckTruncated(t *testing.T, r *rand.Rand, what string, code []byte, decode func(*codec.Decoder) error) {
	t.Helper()
	for _, l := range encPrefixLens(r, len(code)) {
		for _, mode := range conformance.Modes() {
			if err := decode(codec.NewDecoder(code[:l], mode)); !errors.Is(err, codec.ErrTruncated) {
				t.Fatalf("%s: prefix of %d of %d bytes (mode %d): %v, want ErrTruncated", what, l, len(code), mode, err)
			}
		}
	}
}

// encCheckRelation requires an alternative code of want to decode to want in
// relation mode (consuming it exactly), and in canonic mode to decode iff it
// is the canonic code and fail with ErrNonCanonic otherwise.
func encCheckRelation(t *testing.T, what string, code, canonic []byte, decode func(*codec.Decoder) (path.Path, error), want path.Path) {
	t.Helper()
	d := codec.NewDecoder(append(code[:len(code):len(code)], 0xff), codec.Relation)
	got, err := decode(d)
	if err != nil || !got.Equal(want) || d.Offset() != len(code) {
		t.Fatalf("%s: relation decode of %s = %v, %v after %d bytes; want %v", what, conformance.Hex(code), got, err, d.Offset(), want)
	}
	d = codec.NewDecoder(code, codec.Canonic)
	got, err = decode(d)
	if bytes.Equal(code, canonic) {
		if err != nil || !got.Equal(want) || d.Remaining() != 0 {
			t.Fatalf("%s: canonic decode of the canonic code %s = %v, %v", what, conformance.Hex(code), got, err)
		}
	} else if !errors.Is(err, codec.ErrNonCanonic) {
		t.Fatalf("%s: canonic decode of non-canonic %s (canonic %s): %v, want ErrNonCanonic", what, conformance.Hex(code), conformance.Hex(canonic), err)
	}
}

func TestEncodingPathSpecExample(t *testing.T) {
	// encodings.tsx prints C3 04 … for /blog/ideas/fun, but the total
	// length 12 does not fit a 4-bit tag inline (at most 11), so tag 0xC is
	// followed by one byte 0x0c: the rule wins over the printed example.
	got := path.Encode(path.MustFromStrings("blog", "ideas", "fun"))
	if want := "c30c" + "04626c6f67" + "056964656173" + "66756e"; hex.EncodeToString(got) != want {
		t.Errorf("encode_path(/blog/ideas/fun) = %x, want %s", got, want)
	}
	for _, c := range []struct {
		p    path.Path
		code string
	}{
		{path.Path{}, "00"},
		{encMust([]byte{}), "01"},
		{encMust([]byte{}, []byte{}), "0200"},
		{path.MustFromStrings("a"), "1161"},
		{path.MustFromStrings("blog", "idea"), "8204626c6f6769646561"},
		{encMust(bytes.Repeat([]byte{0}, 300)), "d1012c" + hex.EncodeToString(bytes.Repeat([]byte{0}, 300))},
	} {
		if got := hex.EncodeToString(path.Encode(c.p)); got != c.code {
			t.Errorf("encode_path(%v) = %s, want %s", c.p, got, c.code)
		}
	}
}

func TestEncodingPathProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	pick := conformance.RandomTag(r)
	for _, p := range encPaths(r, conformance.Scale(1500)) {
		code := path.Encode(p)
		if oracle := conformance.AppendPath(nil, p, conformance.MinimalTag); !bytes.Equal(code, oracle) {
			t.Fatalf("%v: Encode = %s, naive canonic encoder %s", p, conformance.Hex(code), conformance.Hex(oracle))
		}
		if got := path.AppendEncode([]byte{9}, p); !bytes.Equal(got, append([]byte{9}, code...)) {
			t.Fatalf("%v: AppendEncode does not append", p)
		}
		decode := func(d *codec.Decoder) (path.Path, error) { return path.Decode(d) }
		encCheckRelation(t, p.String(), code, code, decode, p)
		for range 3 {
			encCheckRelation(t, p.String(), conformance.AppendPath(nil, p, pick), code, decode, p)
		}
		encCheckTruncated(t, r, p.String(), code, func(d *codec.Decoder) error { _, err := path.Decode(d); return err })
	}
}

func TestEncodingPathInjective(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	for range conformance.Scale(3000) {
		p := conformance.Path(r)
		q := conformance.Related(r, p)
		if r.IntN(4) == 0 {
			q = p.Prefix(r.IntN(p.Len() + 1))
		}
		if p.Equal(q) != bytes.Equal(path.Encode(p), path.Encode(q)) {
			t.Fatalf("%v and %v: equal %v, but codes %s and %s", p, q, p.Equal(q), conformance.Hex(path.Encode(p)), conformance.Hex(path.Encode(q)))
		}
	}
}

func TestEncodingPathRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		code string
		kind error
	}{
		{"total length over 4096", "d1" + "1001" + "00", codec.ErrLimit},
		{"total length 2^64-1", "f1" + "ffffffffffffffff", codec.ErrLimit},
		{"component count over 4096", "0d" + "1001", codec.ErrLimit},
		{"component count 2^32", "0f" + "0000000100000000", codec.ErrLimit},
		{"no components but a total length", "50", codec.ErrInvalid},
		{"first component overruns the total", "12" + "02" + "6161", codec.ErrInvalid},
		{"middle component overruns the total", "33" + "01" + "61" + "03" + "626262", codec.ErrInvalid},
		{"count claims more than the input holds", "0d" + "1000", codec.ErrTruncated},
		{"total claims more than the input holds", "d1" + "1000" + "6161", codec.ErrTruncated},
		{"empty input", "", codec.ErrTruncated},
	} {
		code, _ := hex.DecodeString(c.code)
		for _, mode := range conformance.Modes() {
			_, err := path.Decode(codec.NewDecoder(code, mode))
			if !errors.Is(err, c.kind) {
				t.Errorf("%s (%s, mode %d): %v, want %v", c.name, c.code, mode, err, c.kind)
			}
		}
	}
	// Non-minimal tags: valid for EncodePath, not for encode_path.
	for _, c := range []string{"c100", "1c0161", "0c01", "f1" + "0000000000000000"} {
		code, _ := hex.DecodeString(c)
		if _, err := path.Decode(codec.NewDecoder(code, codec.Relation)); err != nil {
			t.Errorf("relation decode of %s: %v", c, err)
		}
		if _, err := path.Decode(codec.NewDecoder(code, codec.Canonic)); !errors.Is(err, codec.ErrNonCanonic) {
			t.Errorf("canonic decode of %s: %v, want ErrNonCanonic", c, err)
		}
	}
}

func TestEncodingPathRelativeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 15))
	pick := conformance.RandomTag(r)
	rels := encPaths(r, conformance.Scale(600))
	for i, rel := range rels {
		p := conformance.Related(r, rel)
		if i%5 == 0 {
			p = rels[r.IntN(len(rels))]
		}
		lcp := p.CommonPrefixLen(rel)
		code := path.AppendEncodeRelative(nil, p, rel)
		if oracle := conformance.AppendPathRelative(nil, p, rel, lcp, conformance.MinimalTag); !bytes.Equal(code, oracle) {
			t.Fatalf("%v rel %v: AppendEncodeRelative = %s, naive %s", p, rel, conformance.Hex(code), conformance.Hex(oracle))
		}
		decode := func(d *codec.Decoder) (path.Path, error) { return path.DecodeRelative(d, rel) }
		what := p.String() + " rel " + rel.String()
		encCheckRelation(t, what, code, code, decode, p)
		for range 3 {
			k := r.IntN(lcp + 1) // any prefix count up to the common prefix
			encCheckRelation(t, what, conformance.AppendPathRelative(nil, p, rel, k, pick), code, decode, p)
		}
		encCheckTruncated(t, r, what, code, func(d *codec.Decoder) error { _, err := path.DecodeRelative(d, rel); return err })
	}
}

func TestEncodingPathRelativeRejects(t *testing.T) {
	rel := path.MustFromStrings("a", "b")
	full := encMust(make([][]byte, path.MaxComponentCount)...)
	long := encMust(bytes.Repeat([]byte{1}, path.MaxPathLength))
	for _, c := range []struct {
		name string
		rel  path.Path
		code string
		kind error
	}{
		{"prefix count beyond the reference", rel, "03" + "00", codec.ErrInvalid},
		{"prefix count 2^64-1", rel, "ffffffffffffffffff" + "00", codec.ErrInvalid},
		{"too many components", full, "fd1000" + "01", codec.ErrLimit},
		{"too many bytes", long, "01" + "1161", codec.ErrLimit},
		{"truncated suffix", rel, "01" + "11", codec.ErrTruncated},
	} {
		code, _ := hex.DecodeString(c.code)
		for _, mode := range conformance.Modes() {
			if _, err := path.DecodeRelative(codec.NewDecoder(code, mode), c.rel); !errors.Is(err, c.kind) {
				t.Errorf("%s (%s, mode %d): %v, want %v", c.name, c.code, mode, err, c.kind)
			}
		}
	}
	// A prefix count below the longest common prefix is a valid relation
	// code but not the canonic one.
	code, _ := hex.DecodeString("01" + "1162") // [a, b] relative to [a, b] with k = 1
	if p, err := path.DecodeRelative(codec.NewDecoder(code, codec.Relation), rel); err != nil || !p.Equal(rel) {
		t.Errorf("relation decode of a non-maximal prefix count: %v, %v", p, err)
	}
	if _, err := path.DecodeRelative(codec.NewDecoder(code, codec.Canonic), rel); !errors.Is(err, codec.ErrNonCanonic) {
		t.Errorf("canonic decode of a non-maximal prefix count: %v, want ErrNonCanonic", err)
	}
}

func TestEncodingPathExtendsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 17))
	pick := conformance.RandomTag(r)
	for _, prefix := range encPaths(r, conformance.Scale(600)) {
		p := conformance.Extend(r, prefix)
		code, err := path.AppendEncodeExtends(nil, p, prefix)
		if err != nil {
			t.Fatalf("%v extends %v: %v", p, prefix, err)
		}
		if oracle := conformance.AppendPath(nil, p.Suffix(prefix.Len()), conformance.MinimalTag); !bytes.Equal(code, oracle) {
			t.Fatalf("%v extends %v: AppendEncodeExtends = %s, naive %s", p, prefix, conformance.Hex(code), conformance.Hex(oracle))
		}
		decode := func(d *codec.Decoder) (path.Path, error) { return path.DecodeExtends(d, prefix) }
		what := p.String() + " extends " + prefix.String()
		encCheckRelation(t, what, code, code, decode, p)
		for range 3 {
			encCheckRelation(t, what, conformance.AppendPath(nil, p.Suffix(prefix.Len()), pick), code, decode, p)
		}
		encCheckTruncated(t, r, what, code, func(d *codec.Decoder) error { _, err := path.DecodeExtends(d, prefix); return err })

		// Only prefixes can be extended.
		if q := conformance.Path(r); !prefix.IsPrefixOf(q) {
			if _, err := path.AppendEncodeExtends(nil, q, prefix); !errors.Is(err, path.ErrNotPrefix) {
				t.Fatalf("%v does not extend %v, but encoding gave %v", q, prefix, err)
			}
		}
	}
	// Extending beyond the limits.
	full := encMust(make([][]byte, path.MaxComponentCount)...)
	for _, mode := range conformance.Modes() {
		if _, err := path.DecodeExtends(codec.NewDecoder([]byte{0x01}, mode), full); !errors.Is(err, codec.ErrLimit) {
			t.Errorf("extending a full path (mode %d): %v, want ErrLimit", mode, err)
		}
	}
}

// encSeeds returns the corpus cases of the folders, or nothing when the
// vectors are absent.
func encSeeds(folders ...string) []conformance.Case {
	root, err := testvectors.Find("willow_test_vectors")
	if err != nil {
		return nil
	}
	return conformance.LoadAll(root, folders...)
}

func FuzzDecodePath(f *testing.F) {
	for _, c := range encSeeds("EncodePath", "encode_path") {
		f.Add(c.Code)
	}
	for _, p := range encEdgePaths() {
		f.Add(path.Encode(p))
	}
	f.Add([]byte{0xc1, 0x00})
	f.Add([]byte{0x50})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			p, err := path.Decode(d)
			// DecodeComponents must agree with Decode on every input: the
			// same error (or none), offset and components.
			dc := codec.NewDecoder(data, mode)
			comps, cerr := path.DecodeComponents(dc, nil)
			if (err == nil) != (cerr == nil) || (err != nil && err.Error() != cerr.Error()) || dc.Offset() != d.Offset() {
				t.Fatalf("Decode: %v at %d; DecodeComponents: %v at %d", err, d.Offset(), cerr, dc.Offset())
			}
			if err != nil {
				conformance.MustBeDecodeError(t, err)
				continue
			}
			if q, qerr := path.New(comps...); qerr != nil || !q.Equal(p) {
				t.Fatalf("DecodeComponents gave %q, Decode %v", comps, p)
			}
			code := path.Encode(p)
			if c2, err := path.AppendEncodeComponents([]byte{7}, comps); err != nil || !bytes.Equal(c2[1:], code) || c2[0] != 7 {
				t.Fatalf("AppendEncodeComponents(%q) = %x, %v; Encode gives %x", comps, c2, err, code)
			}
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s gave %v, which encodes to %s", conformance.Hex(data[:d.Offset()]), p, conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if q, err := path.Decode(d2); err != nil || !q.Equal(p) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded %v decodes to %v, %v", p, q, err)
			}
		}
	})
}

// encFuzzReference decodes a fuzzed reference path, falling back to the
// empty path.
func encFuzzReference(b []byte) path.Path {
	p, err := path.Decode(codec.NewDecoder(b, codec.Relation))
	if err != nil {
		return path.Path{}
	}
	return p
}

func FuzzDecodePathRelative(f *testing.F) {
	for _, c := range encSeeds("EncodePathRelativePath", "path_rel_path") {
		f.Add(c.Code, c.RelativeTo)
	}
	f.Add([]byte{0x02, 0x11, 0x32}, path.Encode(path.MustFromStrings("blog", "idea", "1")))
	f.Add([]byte{0x00, 0x00}, path.Encode(path.MustFromStrings("blog")))
	f.Fuzz(func(t *testing.T, data, relCode []byte) {
		rel := encFuzzReference(relCode)
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			p, err := path.DecodeRelative(d, rel)
			if err != nil {
				conformance.MustBeDecodeError(t, err)
				continue
			}
			code := path.AppendEncodeRelative(nil, p, rel)
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s rel %v gave %v, which encodes to %s", conformance.Hex(data[:d.Offset()]), rel, p, conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if q, err := path.DecodeRelative(d2, rel); err != nil || !q.Equal(p) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded %v rel %v decodes to %v, %v", p, rel, q, err)
			}
		}
	})
}

func FuzzDecodePathExtends(f *testing.F) {
	for _, c := range encSeeds("EncodePathExtendsPath", "path_extends_path") {
		f.Add(c.Code, c.RelativeTo)
	}
	f.Add([]byte{0x11, 0x63}, path.Encode(path.MustFromStrings("a", "b")))
	f.Add([]byte{0x00}, []byte{0x00})
	f.Fuzz(func(t *testing.T, data, prefixCode []byte) {
		prefix := encFuzzReference(prefixCode)
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			p, err := path.DecodeExtends(d, prefix)
			if err != nil {
				conformance.MustBeDecodeError(t, err)
				continue
			}
			code, err := path.AppendEncodeExtends(nil, p, prefix)
			if err != nil {
				t.Fatalf("decoded %v does not extend %v: %v", p, prefix, err)
			}
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s gave %v, which encodes to %s", conformance.Hex(data[:d.Offset()]), p, conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if q, err := path.DecodeExtends(d2, prefix); err != nil || !q.Equal(p) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded %v decodes to %v, %v", p, q, err)
			}
		}
	})
}

var encSink []byte

func encBenchPath() path.Path {
	return path.MustFromStrings("blog", "2026", "11", "25", "a-post-about-willow", "comments", "0001")
}

func BenchmarkEncodePath(b *testing.B) {
	p := encBenchPath()
	buf := make([]byte, 0, 128)
	b.SetBytes(int64(len(path.Encode(p))))
	b.ReportAllocs()
	for b.Loop() {
		buf = path.AppendEncode(buf[:0], p)
	}
	encSink = buf
}

func BenchmarkDecodePath(b *testing.B) {
	code := path.Encode(encBenchPath())
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := path.Decode(codec.NewDecoder(code, codec.Canonic)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodePathRelative(b *testing.B) {
	p := encBenchPath()
	rel := p.Prefix(5)
	rel, _ = rel.Append([]byte("likes"))
	buf := make([]byte, 0, 128)
	b.SetBytes(int64(len(path.AppendEncodeRelative(nil, p, rel))))
	b.ReportAllocs()
	for b.Loop() {
		buf = path.AppendEncodeRelative(buf[:0], p, rel)
	}
	encSink = buf
}

func BenchmarkDecodePathRelative(b *testing.B) {
	p := encBenchPath()
	rel := p.Prefix(5)
	rel, _ = rel.Append([]byte("likes"))
	code := path.AppendEncodeRelative(nil, p, rel)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := path.DecodeRelative(codec.NewDecoder(code, codec.Canonic), rel); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendEncodeComponentsLimits(t *testing.T) {
	long := make([]byte, path.MaxComponentLength+1)
	many := make([][]byte, path.MaxComponentCount+1)
	half := make([]byte, path.MaxPathLength/2+1)
	for _, comps := range [][][]byte{{long}, many, {half, half}} {
		_, newErr := path.New(comps...)
		got, err := path.AppendEncodeComponents([]byte{1, 2}, comps)
		if !errors.Is(err, path.ErrLimit) || newErr == nil || err.Error() != newErr.Error() || !bytes.Equal(got, []byte{1, 2}) {
			t.Errorf("AppendEncodeComponents over a limit: %v (New: %v), dst %x", err, newErr, got)
		}
	}
}

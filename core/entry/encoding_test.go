package entry_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/internal/conformance"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// Property tests of EncodeEntry and EncodeEntryRelativeEntry (encodings.tsx,
// "Entry Encoding").

func encDefault() entry.Entry {
	return entry.Default(ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest())
}

// encEdgeEntries vary one field of the default entry over edge values.
func encEdgeEntries() []entry.Entry {
	var out []entry.Entry
	for _, n := range conformance.EdgeU64 {
		e := encDefault()
		e.Timestamp = entry.Timestamp(n)
		out = append(out, e)
		e = encDefault()
		e.PayloadLength = n
		out = append(out, e)
	}
	e := encDefault()
	e.Path = path.MustFromStrings("blog", "idea")
	e.Timestamp = 1000
	return append(out, e, encDefault(), entry.Entry{})
}

// encCheckTruncated requires every strict prefix of code to fail with
// ErrTruncated in both modes (a sample of prefixes for long codes).
func encCheckTruncated(t *testing.T, r *rand.Rand, code []byte, decode func(*codec.Decoder) error) {
	t.Helper()
	lens := []int{0, 1, 31, 32, 63, 64, 65, len(code) - 33, len(code) - 32, len(code) - 1}
	if len(code) <= 200 {
		lens = nil
		for l := range len(code) {
			lens = append(lens, l)
		}
	}
	for range 20 {
		lens = append(lens, r.IntN(len(code)))
	}
	for _, l := range lens {
		if l < 0 || l >= len(code) {
			continue
		}
		for _, mode := range conformance.Modes() {
			if err := decode(codec.NewDecoder(code[:l], mode)); !errors.Is(err, codec.ErrTruncated) {
				t.Fatalf("prefix of %d of %d bytes of %s (mode %d): %v, want ErrTruncated", l, len(code), conformance.Hex(code), mode, err)
			}
		}
	}
}

// encCheckCode requires code to decode to want in relation mode (consuming
// it exactly, trailing bytes left alone), and in canonic mode to decode iff
// it equals canonic, failing with ErrNonCanonic otherwise.
func encCheckCode(t *testing.T, code, canonic []byte, decode func(*codec.Decoder) (entry.Entry, error), want entry.Entry) {
	t.Helper()
	d := codec.NewDecoder(append(code[:len(code):len(code)], 0x01, 0x02), codec.Relation)
	got, err := decode(d)
	if err != nil || !got.Equal(want) || d.Offset() != len(code) {
		t.Fatalf("relation decode of %s = %+v, %v after %d of %d bytes; want %+v", conformance.Hex(code), got, err, d.Offset(), len(code), want)
	}
	d = codec.NewDecoder(code, codec.Canonic)
	got, err = decode(d)
	if bytes.Equal(code, canonic) {
		if err != nil || !got.Equal(want) || d.Remaining() != 0 {
			t.Fatalf("canonic decode of the canonic code %s = %+v, %v", conformance.Hex(code), got, err)
		}
	} else if !errors.Is(err, codec.ErrNonCanonic) {
		t.Fatalf("canonic decode of non-canonic %s (canonic %s): %v, want ErrNonCanonic", conformance.Hex(code), conformance.Hex(canonic), err)
	}
}

func TestEncodingEntryExamples(t *testing.T) {
	nsID, dgID := ids.DefaultNamespaceID(), ids.DefaultPayloadDigest()
	ns, dg := hex.EncodeToString(nsID[:]), hex.EncodeToString(dgID[:])
	if got, want := hex.EncodeToString(entry.Encode(encDefault())), ns+ns+"000000"+dg; got != want {
		t.Errorf("encode_entry(default entry) = %s, want %s", got, want)
	}
	if n := len(entry.Encode(encDefault())); n != entry.MinEncodedLen {
		t.Errorf("default entry encodes to %d bytes, MinEncodedLen is %d", n, entry.MinEncodedLen)
	}
	e := encDefault()
	e.Path = path.MustFromStrings("blog", "idea")
	e.Timestamp = 1000
	if got, want := hex.EncodeToString(entry.Encode(e)), ns+ns+"8204626c6f6769646561"+"fd03e8"+"00"+dg; got != want {
		t.Errorf("encode_entry(/blog/idea at 1000) = %s, want %s", got, want)
	}
	// Relative to the default entry: same ids, later by 1000 (2-bit tag 01,
	// two bytes), length 0 inline, path relative with prefix count 0.
	if got, want := hex.EncodeToString(entry.AppendEncodeRelative(nil, e, encDefault())), "28"+"03e8"+"00"+"8204626c6f6769646561"+dg; got != want {
		t.Errorf("relative code = %s, want %s", got, want)
	}
}

func TestEncodingEntryProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 21))
	pick := conformance.RandomTag(r)
	entries := encEdgeEntries()
	for range conformance.Scale(1500) {
		entries = append(entries, conformance.Entry(r))
	}
	for _, e := range entries {
		code := entry.Encode(e)
		if oracle := conformance.AppendEntry(nil, e, conformance.MinimalTag); !bytes.Equal(code, oracle) {
			t.Fatalf("Encode = %s, naive encoder %s", conformance.Hex(code), conformance.Hex(oracle))
		}
		if got := entry.AppendEncode([]byte{7}, e); !bytes.Equal(got, append([]byte{7}, code...)) {
			t.Fatal("AppendEncode does not append")
		}
		encCheckCode(t, code, code, entry.Decode, e)
		for range 3 {
			encCheckCode(t, conformance.AppendEntry(nil, e, pick), code, entry.Decode, e)
		}
		encCheckTruncated(t, r, code, func(d *codec.Decoder) error { _, err := entry.Decode(d); return err })
	}
}

func TestEncodingEntryInjective(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 23))
	for range conformance.Scale(3000) {
		e := conformance.Entry(r)
		f := conformance.EntryNear(r, e)
		if r.IntN(3) == 0 {
			f = e
			switch r.IntN(3) {
			case 0:
				f.Timestamp++
			case 1:
				f.PayloadLength--
			default:
				f.PayloadDigest[r.IntN(32)] ^= 1
			}
		}
		if e.Equal(f) != bytes.Equal(entry.Encode(e), entry.Encode(f)) {
			t.Fatalf("%+v and %+v: equal %v, codes %s and %s", e, f, e.Equal(f), conformance.Hex(entry.Encode(e)), conformance.Hex(entry.Encode(f)))
		}
	}
}

func TestEncodingEntryRejects(t *testing.T) {
	base := entry.Encode(encDefault())
	for _, c := range []struct {
		name string
		code []byte
		kind error
	}{
		{"shorter than any entry", base[:entry.MinEncodedLen-1], codec.ErrTruncated},
		{"path over the limit", append(append(base[:64:64], 0xd1, 0x10, 0x01), base[65:]...), codec.ErrLimit},
		{"path with bytes but no components", append(append(base[:64:64], 0x10), base[65:]...), codec.ErrInvalid},
	} {
		for _, mode := range conformance.Modes() {
			if _, err := entry.Decode(codec.NewDecoder(c.code, mode)); !errors.Is(err, c.kind) {
				t.Errorf("%s (mode %d): %v, want %v", c.name, mode, err, c.kind)
			}
		}
	}
}

// encRelativePairs returns entries and reference entries, with edge-value
// timestamps on both sides.
func encRelativePairs(r *rand.Rand, n int) [][2]entry.Entry {
	var out [][2]entry.Entry
	for _, a := range conformance.EdgeU64 {
		for _, b := range []uint64{0, 1, 1 << 32, 1<<64 - 1, a + 1, a - 1} {
			e, rel := encDefault(), encDefault()
			e.Timestamp, rel.Timestamp = entry.Timestamp(a), entry.Timestamp(b)
			out = append(out, [2]entry.Entry{e, rel})
		}
	}
	for range n {
		rel := conformance.Entry(r)
		out = append(out, [2]entry.Entry{conformance.EntryNear(r, rel), rel})
	}
	return out
}

func TestEncodingEntryRelativeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 25))
	pick := conformance.RandomTag(r)
	for _, pair := range encRelativePairs(r, conformance.Scale(1500)) {
		e, rel := pair[0], pair[1]
		lcp := e.Path.CommonPrefixLen(rel.Path)
		code := entry.AppendEncodeRelative(nil, e, rel)
		if oracle := conformance.AppendEntryRelative(nil, e, rel, lcp, conformance.MinimalTag); !bytes.Equal(code, oracle) {
			t.Fatalf("AppendEncodeRelative = %s, naive encoder %s", conformance.Hex(code), conformance.Hex(oracle))
		}
		decode := func(d *codec.Decoder) (entry.Entry, error) { return entry.DecodeRelative(d, rel) }
		// The spec defines no canonic function for this relation; our
		// Canonic mode accepts exactly our shortest code (minimal tags,
		// maximal path prefix).
		encCheckCode(t, code, code, decode, e)
		for range 3 {
			alt := conformance.AppendEntryRelative(nil, e, rel, r.IntN(lcp+1), pick)
			encCheckCode(t, alt, code, decode, e)
		}
		encCheckTruncated(t, r, code, func(d *codec.Decoder) error { _, err := entry.DecodeRelative(d, rel); return err })
	}
}

func TestEncodingEntryRelativeRejects(t *testing.T) {
	rel := encDefault()
	rel.Timestamp = 1000
	dg := ids.DefaultPayloadDigest()
	ns := ids.DefaultNamespaceID()
	other := ns
	other[0] ^= 1
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, c := range []struct {
		name string
		rel  entry.Entry
		code []byte
		kind error
	}{
		{"namespace flagged as different but equal", rel, cat([]byte{0x80}, ns[:], []byte{0, 0}, []byte{0, 0}, dg[:]), codec.ErrInvalid},
		{"subspace flagged as different but equal", rel, cat([]byte{0x40}, ns[:], []byte{0, 0}, []byte{0, 0}, dg[:]), codec.ErrInvalid},
		{"later by zero", rel, cat([]byte{0x20}, []byte{0}, []byte{0, 0}, dg[:]), codec.ErrInvalid},
		{"earlier than zero", rel, cat([]byte{0x08}, []byte{0x03, 0xe9}, []byte{0, 0}, dg[:]), codec.ErrInvalid},
		{"later than 2^64-1", rel, cat([]byte{0x38}, bytes.Repeat([]byte{0xff}, 8), []byte{0, 0}, dg[:]), codec.ErrInvalid},
		{"path prefix count beyond the reference path", rel, cat([]byte{0x00}, []byte{0}, []byte{1, 0}, dg[:]), codec.ErrInvalid},
		{"missing digest", rel, cat([]byte{0x00}, []byte{0}, []byte{0, 0}, dg[:31]), codec.ErrTruncated},
		{"missing namespace", rel, cat([]byte{0x80}, other[:31]), codec.ErrTruncated},
	} {
		for _, mode := range conformance.Modes() {
			if _, err := entry.DecodeRelative(codec.NewDecoder(c.code, mode), c.rel); !errors.Is(err, c.kind) {
				t.Errorf("%s (mode %d): %v, want %v", c.name, mode, err, c.kind)
			}
		}
	}
	// The extremes of the time difference are reachable.
	for _, c := range []struct{ e, rel entry.Timestamp }{{1<<64 - 1, 0}, {0, 1<<64 - 1}, {1<<64 - 1, 1<<64 - 2}} {
		e, r := encDefault(), encDefault()
		e.Timestamp, r.Timestamp = c.e, c.rel
		got, err := entry.DecodeRelative(codec.NewDecoder(entry.AppendEncodeRelative(nil, e, r), codec.Canonic), r)
		if err != nil || !got.Equal(e) {
			t.Errorf("timestamp %d relative to %d: %v, %v", c.e, c.rel, got.Timestamp, err)
		}
	}
}

func encSeeds(folders ...string) []conformance.Case {
	root, err := testvectors.Find("willow_test_vectors")
	if err != nil {
		return nil
	}
	return conformance.LoadAll(root, folders...)
}

func FuzzDecodeEntry(f *testing.F) {
	for _, c := range encSeeds("EncodeEntry", "encode_entry") {
		f.Add(c.Code)
	}
	for _, e := range encEdgeEntries() {
		f.Add(entry.Encode(e))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			e, err := entry.Decode(d)
			// DecodeView must agree with Decode on every input.
			dv := codec.NewDecoder(data, mode)
			v, verr := entry.DecodeView(dv, nil)
			if (err == nil) != (verr == nil) || (err != nil && err.Error() != verr.Error()) || dv.Offset() != d.Offset() {
				t.Fatalf("Decode: %v at %d; DecodeView: %v at %d", err, d.Offset(), verr, dv.Offset())
			}
			if err != nil {
				conformance.MustBeDecodeError(t, err)
				continue
			}
			code := entry.Encode(e)
			if vc, err := entry.AppendEncodeView([]byte{9}, &v); err != nil || vc[0] != 9 || !bytes.Equal(vc[1:], code) {
				t.Fatalf("AppendEncodeView gives %x, %v; Encode %x", vc, err, code)
			}
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s gave an entry encoding to %s", conformance.Hex(data[:d.Offset()]), conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if again, err := entry.Decode(d2); err != nil || !again.Equal(e) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded entry %s decodes to %+v, %v", conformance.Hex(code), again, err)
			}
		}
	})
}

func FuzzDecodeEntryRelative(f *testing.F) {
	for _, c := range encSeeds("EncodeEntryRelativeEntry") {
		f.Add(c.Code, c.RelativeTo)
	}
	r := rand.New(rand.NewPCG(26, 27))
	for _, pair := range encRelativePairs(r, 20) {
		f.Add(entry.AppendEncodeRelative(nil, pair[0], pair[1]), entry.Encode(pair[1]))
	}
	f.Fuzz(func(t *testing.T, data, relCode []byte) {
		rel, err := entry.Decode(codec.NewDecoder(relCode, codec.Relation))
		if err != nil {
			rel = encDefault()
		}
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			e, err := entry.DecodeRelative(d, rel)
			if err != nil {
				conformance.MustBeDecodeError(t, err)
				continue
			}
			code := entry.AppendEncodeRelative(nil, e, rel)
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s gave an entry encoding to %s", conformance.Hex(data[:d.Offset()]), conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if again, err := entry.DecodeRelative(d2, rel); err != nil || !again.Equal(e) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded entry %s decodes to %+v, %v", conformance.Hex(code), again, err)
			}
		}
	})
}

var encSink []byte

func encBenchEntries() (entry.Entry, entry.Entry) {
	e := encDefault()
	e.Path = path.MustFromStrings("blog", "2026", "11", "25", "a-post-about-willow", "comments", "0001")
	e.Timestamp = 830_000_000_000_000
	e.PayloadLength = 2345
	rel := e
	rel.Path = e.Path.Prefix(5)
	rel.Timestamp -= 1_000_000
	rel.PayloadLength = 17
	return e, rel
}

func BenchmarkEncodeEntry(b *testing.B) {
	e, _ := encBenchEntries()
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(entry.Encode(e))))
	b.ReportAllocs()
	for b.Loop() {
		buf = entry.AppendEncode(buf[:0], e)
	}
	encSink = buf
}

func BenchmarkDecodeEntry(b *testing.B) {
	e, _ := encBenchEntries()
	code := entry.Encode(e)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := entry.Decode(codec.NewDecoder(code, codec.Canonic)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeEntryRelative(b *testing.B) {
	e, rel := encBenchEntries()
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(entry.AppendEncodeRelative(nil, e, rel))))
	b.ReportAllocs()
	for b.Loop() {
		buf = entry.AppendEncodeRelative(buf[:0], e, rel)
	}
	encSink = buf
}

func BenchmarkDecodeEntryRelative(b *testing.B) {
	e, rel := encBenchEntries()
	code := entry.AppendEncodeRelative(nil, e, rel)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := entry.DecodeRelative(codec.NewDecoder(code, codec.Relation), rel); err != nil {
			b.Fatal(err)
		}
	}
}

package grouping_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/internal/conformance"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// Property tests of EncodeAreaInArea (encodings.tsx, "Area Encoding").

func encClosed(start, end uint64) grouping.TimeRange {
	r, err := grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end))
	if err != nil {
		panic(err)
	}
	return r
}

func encOpen(start uint64) grouping.TimeRange { return grouping.NewOpenRange(entry.Timestamp(start)) }

// encCanonicChoices are the choices encode_area_in_area makes: forced ones
// for an open reference, otherwise each *_from_start minimising its
// difference with ties going to false; arbitrary bits zero.
func encCanonicChoices(a, outer grouping.Area) conformance.AreaChoices {
	aEnd, aClosed := a.Times.End()
	oEnd, oClosed := outer.Times.End()
	if !oClosed {
		return conformance.AreaChoices{StartFromStart: true, EndFromStart: aClosed}
	}
	aStart, oStart := uint64(a.Times.Start()), uint64(outer.Times.Start())
	return conformance.AreaChoices{
		StartFromStart: aStart-oStart < uint64(oEnd)-aStart,
		EndFromStart:   uint64(aEnd)-oStart < uint64(oEnd)-uint64(aEnd),
	}
}

// encAreaPairs returns areas with a reference area including each.
func encAreaPairs(r *rand.Rand, n int) [][2]grouping.Area {
	s := grouping.OnlySubspace(ids.SubspaceID{1, 2, 3})
	full := grouping.FullArea()
	out := [][2]grouping.Area{
		{full, full},
		{grouping.Area{Subspace: s}, full},
		{grouping.Area{Times: encClosed(0, 1)}, full},
		{grouping.Area{Times: encOpen(1<<64 - 1)}, full},
		{grouping.Area{Times: encClosed(1<<64-2, 1<<64-1)}, full},
		{grouping.Area{Times: encClosed(1<<64-2, 1<<64-1)}, grouping.Area{Times: encClosed(0, 1<<64-1)}},
		{grouping.Area{Times: encClosed(0, 1<<64-1)}, grouping.Area{Times: encClosed(0, 1<<64-1)}},
		{grouping.Area{Times: encClosed(50, 60)}, grouping.Area{Times: encClosed(0, 100)}}, // a start tie
		{grouping.Area{Times: encClosed(40, 50)}, grouping.Area{Times: encClosed(0, 100)}}, // an end tie
	}
	for range n {
		outer := conformance.Area(r)
		out = append(out, [2]grouping.Area{conformance.SubArea(r, outer), outer})
	}
	return out
}

func TestEncodingAreaInAreaExamples(t *testing.T) {
	sID := ids.SubspaceID{0xaa, 31: 0xbb}
	s := grouping.OnlySubspace(sID)
	blog := path.MustFromStrings("blog")
	for _, c := range []struct {
		name      string
		a, outer  grouping.Area
		canonicHx string
	}{
		{"full area in itself", grouping.FullArea(), grouping.FullArea(), "600000"},
		{"subspace area in the full area", grouping.SubspaceArea(sID), grouping.FullArea(), "e0" + hex.EncodeToString(sID[:]) + "00" + "00"},
		{"a path in the full area", grouping.Area{Path: blog}, grouping.FullArea(), "6000" + "41626c6f67"},
		{"closed times in a subspace area", grouping.Area{Subspace: s, Path: blog, Times: encClosed(100, 200)}, grouping.SubspaceArea(sID), "30" + "64" + "c8" + "41626c6f67"},
		{"closed in closed", grouping.Area{Times: encClosed(1400, 1900)}, grouping.Area{Times: encClosed(1000, 2000)}, "24" + "0190" + "64" + "00"},
		{"a start tie goes to from-end", grouping.Area{Times: encClosed(50, 60)}, grouping.Area{Times: encClosed(0, 100)}, "00" + "32" + "28" + "00"},
		{"an end tie goes to from-end", grouping.Area{Times: encClosed(40, 50)}, grouping.Area{Times: encClosed(0, 100)}, "20" + "28" + "32" + "00"},
	} {
		got, err := grouping.AppendEncodeAreaInArea(nil, c.a, c.outer)
		if err != nil || hex.EncodeToString(got) != c.canonicHx {
			t.Errorf("%s: %x, %v; want %s", c.name, got, err, c.canonicHx)
		}
	}
}

func TestEncodingAreaInAreaProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(30, 31))
	pick := conformance.RandomTag(r)
	for _, pair := range encAreaPairs(r, conformance.Scale(1000)) {
		a, outer := pair[0], pair[1]
		code, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
		if err != nil {
			t.Fatalf("%v in %v: %v", a, outer, err)
		}
		oracle := conformance.AppendAreaInArea(nil, a, outer, encCanonicChoices(a, outer), conformance.MinimalTag)
		if !bytes.Equal(code, oracle) {
			t.Fatalf("%v in %v: encode = %s, naive canonic encoder %s", a, outer, conformance.Hex(code), conformance.Hex(oracle))
		}
		decode := func(d *codec.Decoder) (grouping.Area, error) { return grouping.DecodeAreaInArea(d, outer) }
		for _, ch := range conformance.AreaChoicesFor(r, a, outer) {
			for i := range 2 {
				tags := conformance.MinimalTag
				if i == 1 {
					tags = pick
				}
				alt := conformance.AppendAreaInArea(nil, a, outer, ch, tags)
				encCheckCode(t, alt, code, decode, a, outer)
			}
		}
		for _, l := range encPrefixLens(r, len(code)) {
			for _, mode := range conformance.Modes() {
				if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(code[:l], mode), outer); !errors.Is(err, codec.ErrTruncated) {
					t.Fatalf("%v in %v: prefix of %d of %s: %v, want ErrTruncated", a, outer, l, conformance.Hex(code), err)
				}
			}
		}
	}
}

// encCheckCode requires code to decode to want relative to outer in relation
// mode (consuming exactly it) and in canonic mode iff it equals canonic
// (ErrNonCanonic otherwise).
func encCheckCode(t *testing.T, code, canonic []byte, decode func(*codec.Decoder) (grouping.Area, error), want, outer grouping.Area) {
	t.Helper()
	d := codec.NewDecoder(append(code[:len(code):len(code)], 0x42), codec.Relation)
	got, err := decode(d)
	if err != nil || !got.Equal(want) || d.Offset() != len(code) {
		t.Fatalf("%v in %v: relation decode of %s = %v, %v after %d of %d bytes", want, outer, conformance.Hex(code), got, err, d.Offset(), len(code))
	}
	d = codec.NewDecoder(code, codec.Canonic)
	got, err = decode(d)
	if bytes.Equal(code, canonic) {
		if err != nil || !got.Equal(want) || d.Remaining() != 0 {
			t.Fatalf("%v in %v: canonic decode of the canonic %s = %v, %v", want, outer, conformance.Hex(code), got, err)
		}
	} else if !errors.Is(err, codec.ErrNonCanonic) {
		t.Fatalf("%v in %v: canonic decode of non-canonic %s (canonic %s): %v, want ErrNonCanonic", want, outer, conformance.Hex(code), conformance.Hex(canonic), err)
	}
}

func TestEncodingAreaInAreaInjective(t *testing.T) {
	r := rand.New(rand.NewPCG(32, 33))
	for range conformance.Scale(3000) {
		outer := conformance.Area(r)
		a, b := conformance.SubArea(r, outer), conformance.SubArea(r, outer)
		if r.IntN(3) == 0 {
			b = a
			if end, closed := a.Times.End(); closed && uint64(end)-uint64(a.Times.Start()) > 1 {
				b.Times = encClosed(uint64(a.Times.Start()), uint64(end)-1)
			}
		}
		ca, _ := grouping.AppendEncodeAreaInArea(nil, a, outer)
		cb, _ := grouping.AppendEncodeAreaInArea(nil, b, outer)
		if a.Equal(b) != bytes.Equal(ca, cb) {
			t.Fatalf("%v and %v in %v: equal %v, codes %s and %s", a, b, outer, a.Equal(b), conformance.Hex(ca), conformance.Hex(cb))
		}
	}
}

func TestEncodingAreaInAreaRejects(t *testing.T) {
	sID := ids.SubspaceID{7}
	closed := grouping.Area{Times: encClosed(100, 200)}
	open := grouping.Area{Times: encOpen(100)}
	specific := grouping.Area{Subspace: grouping.OnlySubspace(sID), Times: encOpen(0)}
	full := grouping.Area{Path: pathOfEmpties(path.MaxComponentCount)}
	cat := func(parts ...string) []byte {
		b, err := hex.DecodeString(strings.Join(parts, ""))
		if err != nil {
			panic(err)
		}
		return b
	}
	for _, c := range []struct {
		name  string
		outer grouping.Area
		code  []byte
		kind  error
	}{
		{"open end inside a closed reference", closed, cat("60", "00", "00"), codec.ErrInvalid},
		{"start_from_start 0 with an open reference", open, cat("40", "00", "00"), codec.ErrInvalid},
		{"end_from_start 0 for a closed end in an open reference", open, cat("20", "00", "05", "00"), codec.ErrInvalid},
		{"end_from_start 1 for an open end in an open reference", open, cat("70", "00", "00"), codec.ErrInvalid},
		{"subspace flag with a specific reference subspace", specific, cat("e0", hex.EncodeToString(sID[:]), "00", "00"), codec.ErrInvalid},
		{"empty time range", closed, cat("30", "32", "32", "00"), codec.ErrInvalid},
		{"end before start", closed, cat("30", "32", "31", "00"), codec.ErrInvalid},
		{"start before the reference", closed, cat("00", "65", "00", "00"), codec.ErrInvalid},
		{"end after the reference", closed, cat("30", "00", "65", "00"), codec.ErrInvalid},
		{"start beyond 2^64-1", open, cat("6c", "ffffffffffffffff", "00"), codec.ErrInvalid},
		{"path beyond the limits", full, cat("60", "00", "01"), codec.ErrLimit},
		{"truncated subspace", grouping.FullArea(), cat("e0", "0102"), codec.ErrTruncated},
		{"empty input", closed, nil, codec.ErrTruncated},
	} {
		for _, mode := range conformance.Modes() {
			if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(c.code, mode), c.outer); !errors.Is(err, c.kind) {
				t.Errorf("%s (%x, mode %d): %v, want %v", c.name, c.code, mode, err, c.kind)
			}
		}
	}
	// Arbitrary end_diff bits for an open end: any value in the relation,
	// zero canonically.
	for _, bits := range []string{"61", "62", "63"} {
		code := cat(bits, "00", "00")
		if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(code, codec.Relation), grouping.FullArea()); err != nil {
			t.Errorf("relation decode of %x: %v", code, err)
		}
		if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(code, codec.Canonic), grouping.FullArea()); !errors.Is(err, codec.ErrNonCanonic) {
			t.Errorf("canonic decode of %x: %v, want ErrNonCanonic", code, err)
		}
	}
	// A non-minimising start_from_start in a closed reference.
	code := cat("00", "5a", "0a", "00") // [110, 190) in [100, 200), start from the end (90) instead of the start (10)
	if a, err := grouping.DecodeAreaInArea(codec.NewDecoder(code, codec.Relation), closed); err != nil || !a.Times.Equal(encClosed(110, 190)) {
		t.Errorf("relation decode of %x: %v, %v", code, a, err)
	}
	if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(code, codec.Canonic), closed); !errors.Is(err, codec.ErrNonCanonic) {
		t.Errorf("canonic decode of %x: %v, want ErrNonCanonic", code, err)
	}
	// Areas not included in the reference cannot be encoded.
	for _, c := range [][2]grouping.Area{
		{grouping.FullArea(), closed},
		{grouping.Area{Times: encClosed(50, 150)}, closed},
		{grouping.FullArea(), specific},
		{grouping.Area{Path: path.MustFromStrings("a")}, grouping.Area{Path: path.MustFromStrings("b")}},
	} {
		if _, err := grouping.AppendEncodeAreaInArea(nil, c[0], c[1]); !errors.Is(err, grouping.ErrNotIncluded) {
			t.Errorf("%v in %v: %v, want ErrNotIncluded", c[0], c[1], err)
		}
	}
}

// encPrefixLens are the prefix lengths of a code worth decoding: all of them
// for short codes, a sample for long ones.
func encPrefixLens(r *rand.Rand, n int) []int {
	out := []int{0, 1, 2, 3, 33, 34, 35, n - 2, n - 1}
	if n <= 200 {
		out = out[:0]
		for l := range n {
			out = append(out, l)
		}
	}
	for range 20 {
		out = append(out, r.IntN(n))
	}
	var ok []int
	for _, l := range out {
		if l >= 0 && l < n {
			ok = append(ok, l)
		}
	}
	return ok
}

func pathOfEmpties(n int) path.Path {
	p, err := path.New(make([][]byte, n)...)
	if err != nil {
		panic(err)
	}
	return p
}

func FuzzDecodeAreaInArea(f *testing.F) {
	if root, err := testvectors.Find("willow_test_vectors"); err == nil {
		for _, c := range conformance.LoadAll(root, "EncodeAreaInArea", "area_in_area") {
			f.Add(c.Code, c.RelativeTo)
		}
	}
	r := rand.New(rand.NewPCG(34, 35))
	for _, pair := range encAreaPairs(r, 30) {
		code, _ := grouping.AppendEncodeAreaInArea(nil, pair[0], pair[1])
		f.Add(code, conformance.AppendArea(nil, pair[1]))
	}
	f.Fuzz(func(t *testing.T, data, outerCode []byte) {
		outer, err := conformance.DecodeArea(codec.NewDecoder(outerCode, codec.Relation))
		if err != nil {
			outer = grouping.FullArea()
		}
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			a, err := grouping.DecodeAreaInArea(d, outer)
			if err != nil {
				var de *codec.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error %v is not a *codec.DecodeError", err)
				}
				continue
			}
			if !outer.IncludesArea(a) {
				t.Fatalf("decoded %v is not included in %v", a, outer)
			}
			code, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
			if err != nil {
				t.Fatalf("cannot re-encode %v in %v: %v", a, outer, err)
			}
			if mode == codec.Canonic && !bytes.Equal(code, data[:d.Offset()]) {
				t.Fatalf("canonic decode of %s gave %v, which encodes to %s", conformance.Hex(data[:d.Offset()]), a, conformance.Hex(code))
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if b, err := grouping.DecodeAreaInArea(d2, outer); err != nil || !b.Equal(a) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded %v decodes to %v, %v", a, b, err)
			}
		}
	})
}

var encSink []byte

func encBenchAreas() (grouping.Area, grouping.Area) {
	outer := grouping.Area{Path: path.MustFromStrings("blog"), Times: encClosed(800_000_000_000_000, 900_000_000_000_000)}
	a := grouping.Area{Subspace: grouping.OnlySubspace(ids.SubspaceID{1}), Path: path.MustFromStrings("blog", "2026"),
		Times: encClosed(830_000_000_000_000, 840_000_000_000_000)}
	return a, outer
}

func BenchmarkEncodeAreaInArea(b *testing.B) {
	a, outer := encBenchAreas()
	code, _ := grouping.AppendEncodeAreaInArea(nil, a, outer)
	buf := make([]byte, 0, 128)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = grouping.AppendEncodeAreaInArea(buf[:0], a, outer)
	}
	encSink = buf
}

func BenchmarkDecodeAreaInArea(b *testing.B) {
	a, outer := encBenchAreas()
	code, _ := grouping.AppendEncodeAreaInArea(nil, a, outer)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := grouping.DecodeAreaInArea(codec.NewDecoder(code, codec.Canonic), outer); err != nil {
			b.Fatal(err)
		}
	}
}

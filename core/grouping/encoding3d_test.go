package grouping_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/internal/conformance"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// Property tests of EncodeEntryInNamespace3dRange and
// Encode3dRangeRelative3dRange. Neither has a canonic function in the spec,
// so every code of the relation must decode (in Relation mode) to the value;
// our encoder's code must also pass the Canonic decoder.

func encMustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func encRange3dEqual(a, b grouping.Range3d) bool {
	return a.Subspaces.Equal(b.Subspaces) && a.Paths.Equal(b.Paths) && a.Times.Equal(b.Times)
}

func TestEncodingEntryIn3dRangeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 41))
	pick := conformance.RandomTag(r)
	ns := ids.NamespaceID{9}
	for range conformance.Scale(2000) {
		e := conformance.Entry(r)
		e.NamespaceID = ns
		rng := conformance.Range3dAround(r, e)
		if !rng.IncludesEntry(e) {
			t.Fatalf("generator: %v does not include the entry", rng)
		}
		code, err := grouping.AppendEncodeEntryInNamespace3dRange(nil, e, rng)
		if err != nil {
			t.Fatal(err)
		}
		decode := func(d *codec.Decoder) (entry.Entry, error) { return grouping.DecodeEntryInNamespace3dRange(d, ns, rng) }
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(append(code[:len(code):len(code)], 0x77), mode)
			if got, err := decode(d); err != nil || !got.Equal(e) || d.Offset() != len(code) {
				t.Fatalf("%v: decode (mode %d) of %s = %+v, %v", rng, mode, conformance.Hex(code), got, err)
			}
		}
		// Every valid choice decodes to the entry.
		_, pClosed := rng.Paths.End()
		_, tClosed := rng.Times.End()
		for range 4 {
			pathFromStart, timeFromStart := !pClosed || r.IntN(2) == 0, !tClosed || r.IntN(2) == 0
			alt := conformance.AppendEntryIn3dRange(nil, e, rng, pathFromStart, timeFromStart, r.IntN(4), pick)
			d := codec.NewDecoder(alt, codec.Relation)
			if got, err := decode(d); err != nil || !got.Equal(e) || d.Remaining() != 0 {
				t.Fatalf("%v: relation decode of %s = %+v, %v", rng, conformance.Hex(alt), got, err)
			}
		}
		for _, l := range encPrefixLens(r, len(code)) {
			if _, err := decode(codec.NewDecoder(code[:l], codec.Relation)); !errors.Is(err, codec.ErrTruncated) {
				t.Fatalf("prefix of %d of %s: %v, want ErrTruncated", l, conformance.Hex(code), err)
			}
		}
		// An entry outside the range cannot be encoded.
		f := e
		f.Timestamp = rng.Times.Start() - 1
		if e.Timestamp != 0 && rng.Times.Start() != 0 {
			if _, err := grouping.AppendEncodeEntryInNamespace3dRange(nil, f, rng); !errors.Is(err, grouping.ErrNotIncluded) {
				t.Fatalf("entry before the time range: %v, want ErrNotIncluded", err)
			}
		}
	}
}

func TestEncodingEntryIn3dRangeRejects(t *testing.T) {
	ns := ids.NamespaceID{1}
	s := ids.SubspaceID{5}
	dg := ids.PayloadDigest{}
	closed := grouping.Range3d{Subspaces: grouping.NewOpenRange(s), Times: encClosed(100, 200)}
	closed.Paths, _ = grouping.NewClosedRange(path.Path{}, path.MustFromStrings("m"))
	open := grouping.Range3d{Subspaces: grouping.NewOpenRange(s), Times: encOpen(100)}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, c := range []struct {
		name string
		r    grouping.Range3d
		code []byte
		kind error
	}{
		{"subspace flagged as different but equal", open, cat([]byte{0xe0}, s[:], []byte{0, 0, 0}, dg[:]), codec.ErrInvalid},
		{"path relative to an open end", open, cat([]byte{0x20}, []byte{0, 0, 0}, dg[:]), codec.ErrInvalid},
		{"time relative to an open end", open, cat([]byte{0x40}, []byte{0, 0, 0}, dg[:]), codec.ErrInvalid},
		{"time beyond 2^64-1", grouping.Range3d{Times: encOpen(1 << 63)}, cat([]byte{0x78}, []byte{0, 0}, bytes.Repeat([]byte{0xff}, 8), dg[:]), codec.ErrInvalid},
		{"time before 0", closed, cat([]byte{0x40}, []byte{0, 0}, []byte{201}, dg[:]), codec.ErrInvalid},
		{"time outside the range", closed, cat([]byte{0x60}, []byte{0, 0}, []byte{100}, dg[:]), codec.ErrInvalid},
		{"path outside the range", closed, cat([]byte{0x60}, []byte{0, 0x11, 'z'}, []byte{0}, dg[:]), codec.ErrInvalid},
		{"subspace outside the range", open, cat([]byte{0xe0}, make([]byte, 32), []byte{0, 0, 0}, dg[:]), codec.ErrInvalid},
		{"truncated digest", open, cat([]byte{0x60}, []byte{0, 0, 0}, dg[:30]), codec.ErrTruncated},
	} {
		for _, mode := range conformance.Modes() {
			if _, err := grouping.DecodeEntryInNamespace3dRange(codec.NewDecoder(c.code, mode), ns, c.r); !errors.Is(err, c.kind) {
				t.Errorf("%s (%x, mode %d): %v, want %v", c.name, c.code, mode, err, c.kind)
			}
		}
	}
}

func TestEncoding3dRangeRelativeProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 43))
	pick := conformance.RandomTag(r)
	for range conformance.Scale(2000) {
		ref := conformance.Range3d(r)
		v := conformance.Range3dNear(r, ref)
		code := grouping.AppendEncode3dRangeRelative3dRange(nil, v, ref)
		decode := func(d *codec.Decoder) (grouping.Range3d, error) { return grouping.Decode3dRangeRelative3dRange(d, ref) }
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(append(code[:len(code):len(code)], 0x77), mode)
			if got, err := decode(d); err != nil || !encRange3dEqual(got, v) || d.Offset() != len(code) {
				t.Fatalf("%v rel %v: decode (mode %d) of %s = %v, %v", v, ref, mode, conformance.Hex(code), got, err)
			}
		}
		for range 4 {
			alt := conformance.AppendRange3dRelative(nil, v, ref, conformance.RandomRange3dChoices(r), pick)
			d := codec.NewDecoder(alt, codec.Relation)
			if got, err := decode(d); err != nil || !encRange3dEqual(got, v) || d.Remaining() != 0 {
				t.Fatalf("%v rel %v: relation decode of %s = %v, %v", v, ref, conformance.Hex(alt), got, err)
			}
		}
		for _, l := range encPrefixLens(r, len(code)) {
			if _, err := decode(codec.NewDecoder(code[:l], codec.Relation)); !errors.Is(err, codec.ErrTruncated) {
				t.Fatalf("prefix of %d of %s: %v, want ErrTruncated", l, conformance.Hex(code), err)
			}
		}
	}
}

func TestEncoding3dRangeRelativeRejects(t *testing.T) {
	open := grouping.Range3d{} // everything open from the least values
	var closed grouping.Range3d
	closed.Subspaces, _ = grouping.NewClosedRange(ids.SubspaceID{1}, ids.SubspaceID{9})
	closed.Paths, _ = grouping.NewClosedRange(path.Path{}, path.MustFromStrings("m"))
	closed.Times = encClosed(100, 200)
	for _, c := range []struct {
		name string
		r    grouping.Range3d
		code string
		kind error
	}{
		{"subspace start bits 00", open, "05" + "80" + "00" + "00" + "00", codec.ErrInvalid},
		{"subspace start at an open end", open, "85" + "80" + "0000" + "00", codec.ErrInvalid},
		{"subspace end at an open end", open, "6d" + "80" + "0000" + "00", codec.ErrInvalid},
		{"path start relative to an open end", open, "45" + "80" + "0000" + "00", codec.ErrInvalid},
		{"path end relative to an open end", open, "49" + "80" + "0000" + "0000" + "00", codec.ErrInvalid},
		{"time start relative to an open end", open, "4d" + "00" + "0000" + "00", codec.ErrInvalid},
		{"time end relative to an open end", open, "4c" + "80" + "0000" + "00" + "00", codec.ErrInvalid},
		{"time start below 0", closed, "4d" + "00" + "0000" + "c9", codec.ErrInvalid},
		{"time start beyond 2^64-1", closed, "4d" + "f0" + "0000" + "ffffffffffffffff", codec.ErrInvalid},
		{"empty subspace range", closed, "5d" + "80" + "0000" + "00", codec.ErrInvalid},
		{"empty time range", closed, "4c" + "cc" + "0000" + "00" + "00", codec.ErrInvalid},
		{"empty path range", closed, "48" + "c0" + "0000" + "0000" + "00" + "00", codec.ErrInvalid},
		{"truncated second header byte", closed, "4d", codec.ErrTruncated},
		{"truncated explicit subspace", closed, "cd" + "80" + "0102", codec.ErrTruncated},
	} {
		code := encMustHex(c.code)
		for _, mode := range conformance.Modes() {
			if _, err := grouping.Decode3dRangeRelative3dRange(codec.NewDecoder(code, mode), c.r); !errors.Is(err, c.kind) {
				t.Errorf("%s (%s, mode %d): %v, want %v", c.name, c.code, mode, err, c.kind)
			}
		}
	}
}

func FuzzDecodeEntryInNamespace3dRange(f *testing.F) {
	if root, err := testvectors.Find("willow_test_vectors"); err == nil {
		for _, c := range conformance.LoadAll(root, "EncodeEntryInNamespace3dRange") {
			f.Add(c.Code, c.RelativeTo)
		}
	}
	r := rand.New(rand.NewPCG(44, 45))
	for range 30 {
		e := conformance.Entry(r)
		rng := conformance.Range3dAround(r, e)
		code, _ := grouping.AppendEncodeEntryInNamespace3dRange(nil, e, rng)
		f.Add(code, append(e.NamespaceID[:], conformance.AppendRange3d(nil, rng)...))
	}
	f.Fuzz(func(t *testing.T, data, refCode []byte) {
		d := codec.NewDecoder(refCode, codec.Relation)
		ns, err := d.Array32("ns")
		var rng grouping.Range3d
		if err == nil {
			rng, err = conformance.DecodeRange3d(d)
		}
		if err != nil {
			rng = grouping.Range3d{}
		}
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			e, err := grouping.DecodeEntryInNamespace3dRange(d, ids.NamespaceID(ns), rng)
			if err != nil {
				var de *codec.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error %v is not a *codec.DecodeError", err)
				}
				continue
			}
			code, err := grouping.AppendEncodeEntryInNamespace3dRange(nil, e, rng)
			if err != nil {
				t.Fatalf("decoded entry cannot be re-encoded: %v", err)
			}
			d2 := codec.NewDecoder(code, codec.Canonic)
			if again, err := grouping.DecodeEntryInNamespace3dRange(d2, ids.NamespaceID(ns), rng); err != nil || !again.Equal(e) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded entry %s decodes to %+v, %v", conformance.Hex(code), again, err)
			}
		}
	})
}

func FuzzDecode3dRangeRelative3dRange(f *testing.F) {
	if root, err := testvectors.Find("willow_test_vectors"); err == nil {
		for _, c := range conformance.LoadAll(root, "Encode3dRangeRelative3dRange") {
			f.Add(c.Code, c.RelativeTo)
		}
	}
	r := rand.New(rand.NewPCG(46, 47))
	for range 30 {
		ref := conformance.Range3d(r)
		v := conformance.Range3dNear(r, ref)
		f.Add(grouping.AppendEncode3dRangeRelative3dRange(nil, v, ref), conformance.AppendRange3d(nil, ref))
	}
	f.Fuzz(func(t *testing.T, data, refCode []byte) {
		ref, err := conformance.DecodeRange3d(codec.NewDecoder(refCode, codec.Relation))
		if err != nil {
			ref = grouping.Range3d{}
		}
		for _, mode := range conformance.Modes() {
			d := codec.NewDecoder(data, mode)
			v, err := grouping.Decode3dRangeRelative3dRange(d, ref)
			if err != nil {
				var de *codec.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error %v is not a *codec.DecodeError", err)
				}
				continue
			}
			code := grouping.AppendEncode3dRangeRelative3dRange(nil, v, ref)
			d2 := codec.NewDecoder(code, codec.Canonic)
			if again, err := grouping.Decode3dRangeRelative3dRange(d2, ref); err != nil || !encRange3dEqual(again, v) || d2.Remaining() != 0 {
				t.Fatalf("re-encoded %v as %s decodes to %v, %v", v, conformance.Hex(code), again, err)
			}
		}
	})
}

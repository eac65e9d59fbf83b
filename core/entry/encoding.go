package entry

import (
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// MinEncodedLen is the length of the shortest EncodeEntry code (empty path,
// one-byte timestamp and length): 32+32+1+1+1+32.
const MinEncodedLen = 99

// AppendEncode appends encode_entry(e), the canonic EncodeEntry code that
// Meadowcap signs: namespace id, subspace id, EncodePath, standalone compact
// u64s of timestamp and payload length, payload digest.
func AppendEncode(dst []byte, e Entry) []byte {
	dst = append(dst, e.NamespaceID[:]...)
	dst = append(dst, e.SubspaceID[:]...)
	dst = path.AppendEncode(dst, e.Path)
	dst = codec.AppendStandaloneCU64(dst, uint64(e.Timestamp))
	dst = codec.AppendStandaloneCU64(dst, e.PayloadLength)
	return append(dst, e.PayloadDigest[:]...)
}

// Encode returns encode_entry(e).
func Encode(e Entry) []byte {
	return AppendEncode(make([]byte, 0, MinEncodedLen+e.Path.TotalLength()+2*e.Path.Len()+16), e)
}

// Decode reads one EncodeEntry code.
func Decode(d *codec.Decoder) (Entry, error) {
	var e Entry
	var err error
	ns, err := d.Array32("entry namespace id")
	if err != nil {
		return Entry{}, err
	}
	ss, err := d.Array32("entry subspace id")
	if err != nil {
		return Entry{}, err
	}
	e.NamespaceID, e.SubspaceID = ids.NamespaceID(ns), ids.SubspaceID(ss)
	if e.Path, err = path.Decode(d); err != nil {
		return Entry{}, err
	}
	ts, err := d.StandaloneCU64("entry timestamp")
	if err != nil {
		return Entry{}, err
	}
	e.Timestamp = Timestamp(ts)
	if e.PayloadLength, err = d.StandaloneCU64("entry payload length"); err != nil {
		return Entry{}, err
	}
	digest, err := d.Array32("entry payload digest")
	if err != nil {
		return Entry{}, err
	}
	e.PayloadDigest = ids.PayloadDigest(digest)
	return e, nil
}

// View is an entry whose path is held as components that alias another
// buffer: what DecodeView produces and AppendEncodeView consumes, for callers
// that pass entries on without keeping them (the JavaScript bridge
// transcodes batches this way, with no allocation per entry).
type View struct {
	NamespaceID   ids.NamespaceID
	SubspaceID    ids.SubspaceID
	Components    [][]byte
	Timestamp     Timestamp
	PayloadLength uint64
	PayloadDigest ids.PayloadDigest
}

// DecodeView reads one EncodeEntry code exactly as Decode does, but leaves
// the path as components (views of the decoder's input, appended to
// scratch[:0]) instead of building a path.Path.
func DecodeView(d *codec.Decoder, scratch [][]byte) (View, error) {
	var v View
	ns, err := d.Array32("entry namespace id")
	if err != nil {
		return View{}, err
	}
	ss, err := d.Array32("entry subspace id")
	if err != nil {
		return View{}, err
	}
	v.NamespaceID, v.SubspaceID = ids.NamespaceID(ns), ids.SubspaceID(ss)
	if v.Components, err = path.DecodeComponents(d, scratch[:0]); err != nil {
		return View{}, err
	}
	ts, err := d.StandaloneCU64("entry timestamp")
	if err != nil {
		return View{}, err
	}
	v.Timestamp = Timestamp(ts)
	if v.PayloadLength, err = d.StandaloneCU64("entry payload length"); err != nil {
		return View{}, err
	}
	digest, err := d.Array32("entry payload digest")
	if err != nil {
		return View{}, err
	}
	v.PayloadDigest = ids.PayloadDigest(digest)
	return v, nil
}

// AppendEncodeView appends encode_entry of the entry v describes, refusing a
// path beyond the Willow'25 limits (path.ErrLimit): AppendEncode without
// building a path.Path.
func AppendEncodeView(dst []byte, v *View) ([]byte, error) {
	n := len(dst)
	dst = append(dst, v.NamespaceID[:]...)
	dst = append(dst, v.SubspaceID[:]...)
	dst, err := path.AppendEncodeComponents(dst, v.Components)
	if err != nil {
		return dst[:n], err
	}
	dst = codec.AppendStandaloneCU64(dst, uint64(v.Timestamp))
	dst = codec.AppendStandaloneCU64(dst, v.PayloadLength)
	return append(dst, v.PayloadDigest[:]...), nil
}

// AppendEncodeRelative appends the EncodeEntryRelativeEntry code of e relative
// to rel, choosing minimal tags (the encoding defines no canonic function; this
// is the shortest code).
func AppendEncodeRelative(dst []byte, e, rel Entry) []byte {
	var header byte
	if e.NamespaceID != rel.NamespaceID {
		header |= 0x80
	}
	if e.SubspaceID != rel.SubspaceID {
		header |= 0x40
	}
	diff := uint64(rel.Timestamp - e.Timestamp)
	if e.Timestamp > rel.Timestamp {
		header |= 0x20
		diff = uint64(e.Timestamp - rel.Timestamp)
	}
	header |= codec.CU64Tag(diff, 2)<<3 | codec.CU64Tag(e.PayloadLength, 3)
	dst = append(dst, header)
	if header&0x80 != 0 {
		dst = append(dst, e.NamespaceID[:]...)
	}
	if header&0x40 != 0 {
		dst = append(dst, e.SubspaceID[:]...)
	}
	dst = codec.AppendCU64(dst, diff, 2)
	dst = codec.AppendCU64(dst, e.PayloadLength, 3)
	dst = path.AppendEncodeRelative(dst, e.Path, rel.Path)
	return append(dst, e.PayloadDigest[:]...)
}

// DecodeRelative reads one EncodeEntryRelativeEntry code relative to rel. It
// rejects codes whose flags contradict the values ("namespace differs" with an
// equal namespace, "later" with a zero difference) and time differences that
// leave the u64 range.
func DecodeRelative(d *codec.Decoder, rel Entry) (Entry, error) {
	headerAt := d.Offset()
	header, err := d.Byte("relative entry header")
	if err != nil {
		return Entry{}, err
	}
	e := Entry{NamespaceID: rel.NamespaceID, SubspaceID: rel.SubspaceID}
	if header&0x80 != 0 {
		at := d.Offset()
		ns, err := d.Array32("relative entry namespace id")
		if err != nil {
			return Entry{}, err
		}
		if e.NamespaceID = ids.NamespaceID(ns); e.NamespaceID == rel.NamespaceID {
			return Entry{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "relative entry namespace id",
				Detail: "flagged as different but equal to the reference"}
		}
	}
	if header&0x40 != 0 {
		at := d.Offset()
		ss, err := d.Array32("relative entry subspace id")
		if err != nil {
			return Entry{}, err
		}
		if e.SubspaceID = ids.SubspaceID(ss); e.SubspaceID == rel.SubspaceID {
			return Entry{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "relative entry subspace id",
				Detail: "flagged as different but equal to the reference"}
		}
	}
	diffAt := d.Offset()
	diff, err := d.CU64(header>>3&0x03, 2, "relative entry time difference")
	if err != nil {
		return Entry{}, err
	}
	later := header&0x20 != 0
	switch {
	case later && diff == 0:
		return Entry{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: headerAt, Field: "relative entry header",
			Detail: "flagged as later but the time difference is 0"}
	case later && diff > uint64(^Timestamp(0)-rel.Timestamp):
		return Entry{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: diffAt, Field: "relative entry time difference",
			Detail: "timestamp would exceed 2^64-1"}
	case !later && diff > uint64(rel.Timestamp):
		return Entry{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: diffAt, Field: "relative entry time difference",
			Detail: "timestamp would be negative"}
	case later:
		e.Timestamp = rel.Timestamp + Timestamp(diff)
	default:
		e.Timestamp = rel.Timestamp - Timestamp(diff)
	}
	if e.PayloadLength, err = d.CU64(header&0x07, 3, "relative entry payload length"); err != nil {
		return Entry{}, err
	}
	if e.Path, err = path.DecodeRelative(d, rel.Path); err != nil {
		return Entry{}, err
	}
	digest, err := d.Array32("relative entry payload digest")
	if err != nil {
		return Entry{}, err
	}
	e.PayloadDigest = ids.PayloadDigest(digest)
	return e, nil
}

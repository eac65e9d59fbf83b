package conformance

import (
	"encoding/binary"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// The corpus README's "Custom Encodings", which the spec does not define.
//
// Area: a header byte (0x80: the subspace is any; 0x40: the time range is
// open — the README says "third-most significant bit" but every file uses
// the second; other bits arbitrary), the subspace id unless any, EncodePath of
// the path, the time range start as 8 bytes big-endian, and its end likewise
// unless open.
//
// 3dRange: a header byte (0x80: the subspace range is open; 0x40: the path
// range is open; 0x20: the time range is open; other bits arbitrary), the
// subspace range start (32 bytes) and end unless open, EncodePath of the path
// range start and of its end unless open, the time range start as 8 bytes
// big-endian and its end likewise unless open.

const (
	areaAny        = 0x80
	areaOpen       = 0x40
	range3dSubOpen = 0x80
	range3dPthOpen = 0x40
	range3dTimOpen = 0x20
)

// DecodeArea reads the corpus's custom absolute Area encoding. Closed time
// ranges with end ≤ start, which the corpus still contains, are refused with
// codec.ErrInvalid: groupings are never empty since November 2025.
func DecodeArea(d *codec.Decoder) (grouping.Area, error) {
	header, err := d.Byte("custom area header")
	if err != nil {
		return grouping.Area{}, err
	}
	var a grouping.Area
	if header&areaAny == 0 {
		id, err := d.Array32("custom area subspace")
		if err != nil {
			return grouping.Area{}, err
		}
		a.Subspace = grouping.OnlySubspace(ids.SubspaceID(id))
	}
	if a.Path, err = path.Decode(d); err != nil {
		return grouping.Area{}, err
	}
	start, err := u64(d, "custom area start")
	if err != nil {
		return grouping.Area{}, err
	}
	if header&areaOpen != 0 {
		a.Times = grouping.NewOpenRange(entry.Timestamp(start))
		return a, nil
	}
	end, err := u64(d, "custom area end")
	if err != nil {
		return grouping.Area{}, err
	}
	if a.Times, err = grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end)); err != nil {
		return grouping.Area{}, d.Errorf(codec.ErrInvalid, "custom area time range", err.Error())
	}
	return a, nil
}

// AppendArea appends the custom absolute Area encoding of a, with the
// arbitrary header bits zero (as the corpus's reencoded files have them).
func AppendArea(dst []byte, a grouping.Area) []byte {
	var header byte
	id, specific := a.Subspace.ID()
	if !specific {
		header |= areaAny
	}
	end, closed := a.Times.End()
	if !closed {
		header |= areaOpen
	}
	dst = append(dst, header)
	if specific {
		dst = append(dst, id[:]...)
	}
	dst = path.AppendEncode(dst, a.Path)
	dst = binary.BigEndian.AppendUint64(dst, uint64(a.Times.Start()))
	if closed {
		dst = binary.BigEndian.AppendUint64(dst, uint64(end))
	}
	return dst
}

// DecodeRange3d reads the corpus's custom absolute 3dRange encoding, refusing
// empty ranges like DecodeArea.
func DecodeRange3d(d *codec.Decoder) (grouping.Range3d, error) {
	header, err := d.Byte("custom 3dRange header")
	if err != nil {
		return grouping.Range3d{}, err
	}
	var r grouping.Range3d
	empty := func(field string, err error) error { return d.Errorf(codec.ErrInvalid, field, err.Error()) }

	ss, err := d.Array32("custom 3dRange subspace start")
	if err != nil {
		return grouping.Range3d{}, err
	}
	if header&range3dSubOpen != 0 {
		r.Subspaces = grouping.NewOpenRange(ids.SubspaceID(ss))
	} else {
		se, err := d.Array32("custom 3dRange subspace end")
		if err != nil {
			return grouping.Range3d{}, err
		}
		if r.Subspaces, err = grouping.NewClosedRange(ids.SubspaceID(ss), ids.SubspaceID(se)); err != nil {
			return grouping.Range3d{}, empty("custom 3dRange subspace range", err)
		}
	}

	ps, err := path.Decode(d)
	if err != nil {
		return grouping.Range3d{}, err
	}
	if header&range3dPthOpen != 0 {
		r.Paths = grouping.NewOpenRange(ps)
	} else {
		pe, err := path.Decode(d)
		if err != nil {
			return grouping.Range3d{}, err
		}
		if r.Paths, err = grouping.NewClosedRange(ps, pe); err != nil {
			return grouping.Range3d{}, empty("custom 3dRange path range", err)
		}
	}

	ts, err := u64(d, "custom 3dRange time start")
	if err != nil {
		return grouping.Range3d{}, err
	}
	if header&range3dTimOpen != 0 {
		r.Times = grouping.NewOpenRange(entry.Timestamp(ts))
	} else {
		te, err := u64(d, "custom 3dRange time end")
		if err != nil {
			return grouping.Range3d{}, err
		}
		if r.Times, err = grouping.NewClosedRange(entry.Timestamp(ts), entry.Timestamp(te)); err != nil {
			return grouping.Range3d{}, empty("custom 3dRange time range", err)
		}
	}
	return r, nil
}

// AppendRange3d appends the custom absolute 3dRange encoding of r, with the
// arbitrary header bits zero.
func AppendRange3d(dst []byte, r grouping.Range3d) []byte {
	var header byte
	se, sClosed := r.Subspaces.End()
	pe, pClosed := r.Paths.End()
	te, tClosed := r.Times.End()
	if !sClosed {
		header |= range3dSubOpen
	}
	if !pClosed {
		header |= range3dPthOpen
	}
	if !tClosed {
		header |= range3dTimOpen
	}
	dst = append(dst, header)
	ss := r.Subspaces.Start()
	dst = append(dst, ss[:]...)
	if sClosed {
		dst = append(dst, se[:]...)
	}
	dst = path.AppendEncode(dst, r.Paths.Start())
	if pClosed {
		dst = path.AppendEncode(dst, pe)
	}
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.Times.Start()))
	if tClosed {
		dst = binary.BigEndian.AppendUint64(dst, uint64(te))
	}
	return dst
}

func u64(d *codec.Decoder, field string) (uint64, error) {
	b, err := d.Bytes(8, field)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(b), nil
}

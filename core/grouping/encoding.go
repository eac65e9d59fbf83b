package grouping

import (
	"errors"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// ErrNotIncluded is returned when encoding an area relative to an area that
// does not include it.
var ErrNotIncluded = errors.New("area is not included in the reference area")

// AppendEncodeAreaInArea appends encode_area_in_area(a, outer), the canonic
// EncodeAreaInArea code that Meadowcap signs. outer must include a.
//
// Header bits (most significant first): 0 subspace differs, 1 end open,
// 2 start_from_start, 3 end_from_start, 4–5 start_diff tag, 6–7 end_diff tag.
// Canonically each *_from_start is chosen to minimise its difference, ties
// going to false, and forced when outer is open.
func AppendEncodeAreaInArea(dst []byte, a, outer Area) ([]byte, error) {
	if !outer.IncludesArea(a) {
		return dst, ErrNotIncluded
	}
	var header byte
	if a.Subspace != outer.Subspace {
		header |= 0x80
	}
	aEnd, aClosed := a.Times.End()
	oEnd, oClosed := outer.Times.End()
	aStart, oStart := uint64(a.Times.Start()), uint64(outer.Times.Start())
	var startDiff, endDiff uint64
	if !oClosed {
		header |= 0x20 // start_from_start is forced
		startDiff = aStart - oStart
		if aClosed {
			header |= 0x10 // end_from_start iff a's end is closed
			endDiff = uint64(aEnd) - oStart
		}
	} else {
		fromStart, fromEnd := aStart-oStart, uint64(oEnd)-aStart
		if fromStart < fromEnd {
			header |= 0x20
			startDiff = fromStart
		} else {
			startDiff = fromEnd
		}
		// outer closed ⇒ a closed, since outer includes a.
		fromStart, fromEnd = uint64(aEnd)-oStart, uint64(oEnd)-uint64(aEnd)
		if fromStart < fromEnd {
			header |= 0x10
			endDiff = fromStart
		} else {
			endDiff = fromEnd
		}
	}
	if !aClosed {
		header |= 0x40
	}
	header |= codec.CU64Tag(startDiff, 2) << 2
	if aClosed {
		header |= codec.CU64Tag(endDiff, 2)
	}
	dst = append(dst, header)
	if header&0x80 != 0 {
		id, _ := a.Subspace.ID()
		dst = append(dst, id[:]...)
	}
	dst = codec.AppendCU64(dst, startDiff, 2)
	if aClosed {
		dst = codec.AppendCU64(dst, endDiff, 2)
	}
	return path.AppendEncodeExtends(dst, a.Path, outer.Path)
}

// DecodeAreaInArea reads one EncodeAreaInArea code relative to outer. It
// rejects codes that break the encoding's rules for open reference areas and
// codes of areas that are empty or not included in outer.
func DecodeAreaInArea(d *codec.Decoder, outer Area) (Area, error) {
	headerAt := d.Offset()
	header, err := d.Byte("area header")
	if err != nil {
		return Area{}, err
	}
	invalid := func(at int, field, detail string) error {
		return &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: field, Detail: detail}
	}
	var a Area
	a.Subspace = outer.Subspace
	if header&0x80 != 0 {
		if !outer.Subspace.IsAny() {
			return Area{}, invalid(headerAt, "area header", "subspace flagged as different from a specific reference subspace")
		}
		id, err := d.Array32("area subspace id")
		if err != nil {
			return Area{}, err
		}
		a.Subspace = OnlySubspace(ids.SubspaceID(id))
	}
	open := header&0x40 != 0
	startFromStart := header&0x20 != 0
	endFromStart := header&0x10 != 0
	oEnd, oClosed := outer.Times.End()
	oStart := uint64(outer.Times.Start())
	if !oClosed {
		if !startFromStart {
			return Area{}, invalid(headerAt, "area header", "start_from_start must be set when the reference end is open")
		}
		if endFromStart == open {
			return Area{}, invalid(headerAt, "area header", "end_from_start must be set iff the end is closed when the reference end is open")
		}
	} else if open {
		return Area{}, invalid(headerAt, "area header", "open end inside a closed reference range")
	}
	startAt := d.Offset()
	startDiff, err := d.CU64(header>>2&0x03, 2, "area start difference")
	if err != nil {
		return Area{}, err
	}
	var start uint64
	if startFromStart {
		start = oStart + startDiff
		if start < oStart {
			return Area{}, invalid(startAt, "area start difference", "start overflows 2^64-1")
		}
	} else {
		if startDiff > uint64(oEnd) {
			return Area{}, invalid(startAt, "area start difference", "start would be negative")
		}
		start = uint64(oEnd) - startDiff
	}
	if open {
		if d.Canonic() && header&0x03 != 0 {
			return Area{}, &codec.DecodeError{Kind: codec.ErrNonCanonic, Offset: headerAt, Field: "area header",
				Detail: "end_diff tag bits must be zero for an open end"}
		}
		a.Times = NewOpenRange(entry.Timestamp(start))
	} else {
		endAt := d.Offset()
		endDiff, err := d.CU64(header&0x03, 2, "area end difference")
		if err != nil {
			return Area{}, err
		}
		var end uint64
		if endFromStart {
			end = oStart + endDiff
			if end < oStart {
				return Area{}, invalid(endAt, "area end difference", "end overflows 2^64-1")
			}
		} else {
			if endDiff > uint64(oEnd) {
				return Area{}, invalid(endAt, "area end difference", "end would be negative")
			}
			end = uint64(oEnd) - endDiff
		}
		if a.Times, err = NewClosedRange(entry.Timestamp(start), entry.Timestamp(end)); err != nil {
			return Area{}, invalid(startAt, "area time range", err.Error())
		}
	}
	if !outer.Times.IncludesRange(a.Times) {
		return Area{}, invalid(startAt, "area time range", "not included in the reference time range")
	}
	if d.Canonic() && oClosed {
		aEnd, _ := a.Times.End()
		end := uint64(aEnd)
		if best := (start-oStart < uint64(oEnd)-start); best != startFromStart {
			return Area{}, &codec.DecodeError{Kind: codec.ErrNonCanonic, Offset: headerAt, Field: "area header",
				Detail: "start_from_start does not give the smaller difference"}
		}
		if best := (end-oStart < uint64(oEnd)-end); best != endFromStart {
			return Area{}, &codec.DecodeError{Kind: codec.ErrNonCanonic, Offset: headerAt, Field: "area header",
				Detail: "end_from_start does not give the smaller difference"}
		}
	}
	if a.Path, err = path.DecodeExtends(d, outer.Path); err != nil {
		return Area{}, err
	}
	return a, nil
}

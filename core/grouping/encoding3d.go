package grouping

import (
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// The two 3dRange encodings of the Willow encodings page:
// EncodeEntryInNamespace3dRange and Encode3dRangeRelative3dRange. The spec
// defines encoding relations only, no canonic encoding functions: the
// encoders here choose the shortest code (ties to the reference's start, the
// first option the spec lists; arbitrary bits zero), and a Canonic decoder
// only additionally requires minimal compact u64 tags and canonic relative
// paths (maximal prefix counts).

// AppendEncodeEntryInNamespace3dRange appends the EncodeEntryInNamespace3dRange
// code of e relative to r, which must include e (the namespace is implied by
// the context and not encoded). It fails with ErrNotIncluded otherwise.
//
// Header bits (most significant first): 0 subspace differs from the range's
// start, 1 path relative to the path range's start, 2 time relative to the
// time range's start, 3–4 time_diff tag, 5–7 payload_length tag. Then the
// subspace id if it differs, EncodePathRelativePath of the path, the
// time_diff and payload_length bytes, and the payload digest.
func AppendEncodeEntryInNamespace3dRange(dst []byte, e entry.Entry, r Range3d) ([]byte, error) {
	if !r.IncludesEntry(e) {
		return dst, ErrNotIncluded
	}
	var header byte
	if e.SubspaceID != r.Subspaces.Start() {
		header |= 0x80
	}
	pathRef := r.Paths.Start()
	if pEnd, closed := r.Paths.End(); !closed || shorterRelative(e.Path, r.Paths.Start(), pEnd) {
		header |= 0x40
	} else {
		pathRef = pEnd
	}
	diff := uint64(e.Timestamp - r.Times.Start())
	if tEnd, closed := r.Times.End(); !closed || diff <= uint64(tEnd-e.Timestamp) {
		header |= 0x20
	} else {
		diff = uint64(tEnd - e.Timestamp)
	}
	header |= codec.CU64Tag(diff, 2)<<3 | codec.CU64Tag(e.PayloadLength, 3)
	dst = append(dst, header)
	if header&0x80 != 0 {
		dst = append(dst, e.SubspaceID[:]...)
	}
	dst = path.AppendEncodeRelative(dst, e.Path, pathRef)
	dst = codec.AppendCU64(dst, diff, 2)
	dst = codec.AppendCU64(dst, e.PayloadLength, 3)
	return append(dst, e.PayloadDigest[:]...), nil
}

// shorterRelative reports whether p encodes at least as short relative to
// start as relative to end.
func shorterRelative(p, start, end path.Path) bool {
	var buf [64]byte
	return len(path.AppendEncodeRelative(buf[:0], p, start)) <= len(path.AppendEncodeRelative(buf[:0], p, end))
}

// DecodeEntryInNamespace3dRange reads one EncodeEntryInNamespace3dRange code
// of an entry of namespace ns relative to r. It rejects codes that contradict
// their flags or r (a subspace flagged as different but equal to the range's
// start, offsets from an open end, times leaving the u64 range) and codes of
// entries r does not include.
func DecodeEntryInNamespace3dRange(d *codec.Decoder, ns ids.NamespaceID, r Range3d) (entry.Entry, error) {
	headerAt := d.Offset()
	header, err := d.Byte("entry-in-3dRange header")
	if err != nil {
		return entry.Entry{}, err
	}
	invalid := func(at int, field, detail string) error {
		return &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: field, Detail: detail}
	}
	e := entry.Entry{NamespaceID: ns, SubspaceID: r.Subspaces.Start()}
	if header&0x80 != 0 {
		at := d.Offset()
		id, err := d.Array32("entry-in-3dRange subspace id")
		if err != nil {
			return entry.Entry{}, err
		}
		if e.SubspaceID = ids.SubspaceID(id); e.SubspaceID == r.Subspaces.Start() {
			return entry.Entry{}, invalid(at, "entry-in-3dRange subspace id", "flagged as different but equal to the range's start")
		}
	}
	pathRef := r.Paths.Start()
	if header&0x40 == 0 {
		end, closed := r.Paths.End()
		if !closed {
			return entry.Entry{}, invalid(headerAt, "entry-in-3dRange header", "path relative to the end of an open path range")
		}
		pathRef = end
	}
	if e.Path, err = path.DecodeRelative(d, pathRef); err != nil {
		return entry.Entry{}, err
	}
	diffAt := d.Offset()
	diff, err := d.CU64(header>>3&0x03, 2, "entry-in-3dRange time difference")
	if err != nil {
		return entry.Entry{}, err
	}
	if header&0x20 != 0 {
		start := uint64(r.Times.Start())
		if start+diff < start {
			return entry.Entry{}, invalid(diffAt, "entry-in-3dRange time difference", "timestamp would exceed 2^64-1")
		}
		e.Timestamp = entry.Timestamp(start + diff)
	} else {
		end, closed := r.Times.End()
		if !closed {
			return entry.Entry{}, invalid(headerAt, "entry-in-3dRange header", "time relative to the end of an open time range")
		}
		if diff > uint64(end) {
			return entry.Entry{}, invalid(diffAt, "entry-in-3dRange time difference", "timestamp would be negative")
		}
		e.Timestamp = end - entry.Timestamp(diff)
	}
	if e.PayloadLength, err = d.CU64(header&0x07, 3, "entry-in-3dRange payload length"); err != nil {
		return entry.Entry{}, err
	}
	digest, err := d.Array32("entry-in-3dRange payload digest")
	if err != nil {
		return entry.Entry{}, err
	}
	e.PayloadDigest = ids.PayloadDigest(digest)
	if !r.IncludesEntry(e) {
		return entry.Entry{}, invalid(headerAt, "entry-in-3dRange", "the entry is not included in the 3dRange")
	}
	return e, nil
}

// AppendEncode3dRangeRelative3dRange appends the Encode3dRangeRelative3dRange
// code of v relative to r (any 3dRange; r need not include v).
//
// First header byte (most significant bit first): 0–1 how the subspace start
// is given (01: r's start, 10: r's end, 11: explicitly), 2–3 the subspace
// end (00: open, 01: r's start, 10: r's end, 11: explicitly), 4 path start
// relative to r's path start, 5 path end open, 6 path end relative to r's
// path start, 7 time end open. Second byte: 0 time start relative to r's
// time start, 1 add (1) or subtract (0) start_time_diff, 2–3 its tag, 4 time
// end relative to r's time start, 5 add or subtract end_time_diff, 6–7 its
// tag. Then the explicit subspace ids, EncodePathRelativePath of the path
// start and (if closed) end, and the time differences.
func AppendEncode3dRangeRelative3dRange(dst []byte, v, r Range3d) []byte {
	var h1, h2 byte
	rsStart := r.Subspaces.Start()
	rsEnd, rsClosed := r.Subspaces.End()
	vsStart := v.Subspaces.Start()
	vsEnd, vsClosed := v.Subspaces.End()
	switch {
	case vsStart == rsStart:
		h1 |= 0x40
	case rsClosed && vsStart == rsEnd:
		h1 |= 0x80
	default:
		h1 |= 0xc0
	}
	switch {
	case !vsClosed:
	case vsEnd == rsStart:
		h1 |= 0x10
	case rsClosed && vsEnd == rsEnd:
		h1 |= 0x20
	default:
		h1 |= 0x30
	}

	rpEnd, rpClosed := r.Paths.End()
	vpEnd, vpClosed := v.Paths.End()
	startRef := r.Paths.Start()
	if !rpClosed || shorterRelative(v.Paths.Start(), r.Paths.Start(), rpEnd) {
		h1 |= 0x08
	} else {
		startRef = rpEnd
	}
	endRef := r.Paths.Start()
	if !vpClosed {
		h1 |= 0x04
	} else if !rpClosed || shorterRelative(vpEnd, r.Paths.Start(), rpEnd) {
		h1 |= 0x02
	} else {
		endRef = rpEnd
	}

	rtStart := uint64(r.Times.Start())
	rtEnd, rtClosed := r.Times.End()
	vtEnd, vtClosed := v.Times.End()
	if !vtClosed {
		h1 |= 0x01
	}
	// timeDiff picks the reference point (start unless the end is strictly
	// closer) and returns the flags and the absolute difference.
	timeDiff := func(t uint64) (fromStart, add bool, diff uint64) {
		fromStart, ref := true, rtStart
		if rtClosed && absDiff(t, uint64(rtEnd)) < absDiff(t, rtStart) {
			fromStart, ref = false, uint64(rtEnd)
		}
		return fromStart, t > ref, absDiff(t, ref)
	}
	sFromStart, sAdd, sDiff := timeDiff(uint64(v.Times.Start()))
	if sFromStart {
		h2 |= 0x80
	}
	if sAdd {
		h2 |= 0x40
	}
	h2 |= codec.CU64Tag(sDiff, 2) << 4
	var eDiff uint64
	if vtClosed {
		var eFromStart, eAdd bool
		eFromStart, eAdd, eDiff = timeDiff(uint64(vtEnd))
		if eFromStart {
			h2 |= 0x08
		}
		if eAdd {
			h2 |= 0x04
		}
		h2 |= codec.CU64Tag(eDiff, 2)
	}

	dst = append(dst, h1, h2)
	if h1&0xc0 == 0xc0 {
		dst = append(dst, vsStart[:]...)
	}
	if h1&0x30 == 0x30 {
		dst = append(dst, vsEnd[:]...)
	}
	dst = path.AppendEncodeRelative(dst, v.Paths.Start(), startRef)
	if vpClosed {
		dst = path.AppendEncodeRelative(dst, vpEnd, endRef)
	}
	dst = codec.AppendCU64(dst, sDiff, 2)
	if vtClosed {
		dst = codec.AppendCU64(dst, eDiff, 2)
	}
	return dst
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// Decode3dRangeRelative3dRange reads one Encode3dRangeRelative3dRange code
// relative to r. It rejects codes that refer to an open end of r, that the
// spec's bit patterns do not allow (subspace start bits 00), whose times
// leave the u64 range, and codes of empty 3dRanges.
func Decode3dRangeRelative3dRange(d *codec.Decoder, r Range3d) (Range3d, error) {
	headerAt := d.Offset()
	h, err := d.Bytes(2, "3dRange header")
	if err != nil {
		return Range3d{}, err
	}
	h1, h2 := h[0], h[1]
	invalid := func(at int, field, detail string) error {
		return &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: field, Detail: detail}
	}
	rsEnd, rsClosed := r.Subspaces.End()
	rpEnd, rpClosed := r.Paths.End()
	rtEnd, rtClosed := r.Times.End()

	// Subspaces.
	var sStart ids.SubspaceID
	switch h1 >> 6 {
	case 0b00:
		return Range3d{}, invalid(headerAt, "3dRange header", "subspace start bits 00")
	case 0b01:
		sStart = r.Subspaces.Start()
	case 0b10:
		if !rsClosed {
			return Range3d{}, invalid(headerAt, "3dRange header", "subspace start at the end of an open subspace range")
		}
		sStart = rsEnd
	}
	if h1>>6 == 0b11 {
		id, err := d.Array32("3dRange subspace start")
		if err != nil {
			return Range3d{}, err
		}
		sStart = ids.SubspaceID(id)
	}
	var sEnd ids.SubspaceID
	sClosed := true
	switch h1 >> 4 & 0x03 {
	case 0b00:
		sClosed = false
	case 0b01:
		sEnd = r.Subspaces.Start()
	case 0b10:
		if !rsClosed {
			return Range3d{}, invalid(headerAt, "3dRange header", "subspace end at the end of an open subspace range")
		}
		sEnd = rsEnd
	case 0b11:
		id, err := d.Array32("3dRange subspace end")
		if err != nil {
			return Range3d{}, err
		}
		sEnd = ids.SubspaceID(id)
	}

	// Paths.
	pathRef := func(fromStart bool, what string) (path.Path, error) {
		if fromStart {
			return r.Paths.Start(), nil
		}
		if !rpClosed {
			return path.Path{}, invalid(headerAt, "3dRange header", what+" relative to the end of an open path range")
		}
		return rpEnd, nil
	}
	ref, err := pathRef(h1&0x08 != 0, "path start")
	if err != nil {
		return Range3d{}, err
	}
	pStart, err := path.DecodeRelative(d, ref)
	if err != nil {
		return Range3d{}, err
	}
	var pEnd path.Path
	pClosed := h1&0x04 == 0
	if pClosed {
		if ref, err = pathRef(h1&0x02 != 0, "path end"); err != nil {
			return Range3d{}, err
		}
		if pEnd, err = path.DecodeRelative(d, ref); err != nil {
			return Range3d{}, err
		}
	}

	// Times.
	timeAt := func(fromStart, add bool, diff uint64, at int, what string) (entry.Timestamp, error) {
		ref := uint64(r.Times.Start())
		if !fromStart {
			if !rtClosed {
				return 0, invalid(headerAt, "3dRange header", what+" relative to the end of an open time range")
			}
			ref = uint64(rtEnd)
		}
		if add {
			if ref+diff < ref {
				return 0, invalid(at, "3dRange "+what, "exceeds 2^64-1")
			}
			return entry.Timestamp(ref + diff), nil
		}
		if diff > ref {
			return 0, invalid(at, "3dRange "+what, "would be negative")
		}
		return entry.Timestamp(ref - diff), nil
	}
	at := d.Offset()
	diff, err := d.CU64(h2>>4&0x03, 2, "3dRange time start difference")
	if err != nil {
		return Range3d{}, err
	}
	tStart, err := timeAt(h2&0x80 != 0, h2&0x40 != 0, diff, at, "time start")
	if err != nil {
		return Range3d{}, err
	}
	var tEnd entry.Timestamp
	tClosed := h1&0x01 == 0
	if tClosed {
		at = d.Offset()
		if diff, err = d.CU64(h2&0x03, 2, "3dRange time end difference"); err != nil {
			return Range3d{}, err
		}
		if tEnd, err = timeAt(h2&0x08 != 0, h2&0x04 != 0, diff, at, "time end"); err != nil {
			return Range3d{}, err
		}
	}

	var out Range3d
	empty := func(err error) error { return invalid(headerAt, "3dRange", err.Error()) }
	if out.Subspaces = NewOpenRange(sStart); sClosed {
		if out.Subspaces, err = NewClosedRange(sStart, sEnd); err != nil {
			return Range3d{}, empty(err)
		}
	}
	if out.Paths = NewOpenRange(pStart); pClosed {
		if out.Paths, err = NewClosedRange(pStart, pEnd); err != nil {
			return Range3d{}, empty(err)
		}
	}
	if out.Times = NewOpenRange(tStart); tClosed {
		if out.Times, err = NewClosedRange(tStart, tEnd); err != nil {
			return Range3d{}, empty(err)
		}
	}
	return out, nil
}

package jsbridge

import (
	"encoding/binary"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// Core values on the wire:
//
//	path    uvarint count ‖ count × bytes
//	entry   id namespace ‖ id subspace ‖ path ‖ u64 timestamp ‖ u64 payload length ‖ id digest
//	times   u64 start ‖ u8 closed ‖ (closed: u64 end)
//	area    u8 hasSubspace ‖ (id subspace) ‖ path ‖ times
//	aoi     area ‖ u64 maxCount ‖ u64 maxSize

// Path writes a path.
func (w *Writer) Path(p path.Path) {
	w.Uvarint(uint64(p.Len()))
	for i := 0; i < p.Len(); i++ {
		w.Bytes(p.Component(i))
	}
}

// Path reads a path, enforcing the Willow'25 limits (CodePathLimit).
func (r *Reader) Path(field string) path.Path {
	n := r.Count("path component count", 1)
	if r.err != nil {
		return path.Path{}
	}
	// The component slices alias the request; path.New copies them, so one
	// scratch slice serves every path of the request.
	if cap(r.scratch) < n {
		r.scratch = make([][]byte, n)
	}
	comps := r.scratch[:n]
	for i := range comps {
		comps[i] = r.Bytes("path component")
	}
	if r.err != nil {
		return path.Path{}
	}
	p, err := path.New(comps...)
	if err != nil {
		r.err = ToError(err)
	}
	return p
}

// Entry writes an entry.
func (w *Writer) Entry(e entry.Entry) {
	w.Raw(e.NamespaceID[:])
	w.Raw(e.SubspaceID[:])
	w.Path(e.Path)
	w.U64(uint64(e.Timestamp))
	w.U64(e.PayloadLength)
	w.Raw(e.PayloadDigest[:])
}

// Entry reads an entry.
func (r *Reader) Entry(field string) entry.Entry {
	var e entry.Entry
	e.NamespaceID = ids.NamespaceID(r.Array32("namespace id"))
	e.SubspaceID = ids.SubspaceID(r.Array32("subspace id"))
	e.Path = r.Path("entry path")
	e.Timestamp = entry.Timestamp(r.U64("timestamp"))
	e.PayloadLength = r.U64("payload length")
	e.PayloadDigest = ids.PayloadDigest(r.Array32("payload digest"))
	return e
}

// EntryView reads an entry into v without building a path.Path: the path
// components are views of the request, appended to v.Components[:0] (so one
// View serves a whole batch without allocating). The path limits are
// checked where the view is used (entry.AppendEncodeView).
func (r *Reader) EntryView(v *entry.View) {
	if r.err == nil && r.entryViewFast(v) {
		return
	}
	v.NamespaceID = ids.NamespaceID(r.Array32("namespace id"))
	v.SubspaceID = ids.SubspaceID(r.Array32("subspace id"))
	n := r.Count("path component count", 1)
	comps := v.Components[:0]
	for i := 0; i < n; i++ {
		comps = append(comps, r.Bytes("path component"))
	}
	v.Components = comps
	v.Timestamp = entry.Timestamp(r.U64("timestamp"))
	v.PayloadLength = r.U64("payload length")
	v.PayloadDigest = ids.PayloadDigest(r.Array32("payload digest"))
}

// entryViewFast is EntryView for the common case, in one function: the
// package is built without inlining (scripts/build-wasm.sh), and the general
// path costs about fifteen calls per entry. It reports false, consuming
// nothing, when the input needs the general path (which then reports the
// error) — a short request or a length that needs more than one byte.
func (r *Reader) entryViewFast(v *entry.View) bool {
	b, off := r.buf, r.off
	if len(b)-off < 64+1 {
		return false
	}
	copy(v.NamespaceID[:], b[off:off+32])
	copy(v.SubspaceID[:], b[off+32:off+64])
	off += 64
	n := int(b[off])
	off++
	if n >= 0x80 || n > len(b)-off {
		return false
	}
	comps := v.Components[:0]
	for i := 0; i < n; i++ {
		if off >= len(b) {
			return false
		}
		k := int(b[off])
		if k >= 0x80 || k > len(b)-off-1 {
			return false
		}
		comps = append(comps, b[off+1:off+1+k:off+1+k])
		off += 1 + k
	}
	if len(b)-off < 16+32 {
		return false
	}
	v.Components = comps
	v.Timestamp = entry.Timestamp(binary.LittleEndian.Uint64(b[off:]))
	v.PayloadLength = binary.LittleEndian.Uint64(b[off+8:])
	copy(v.PayloadDigest[:], b[off+16:off+48])
	r.off = off + 48
	return true
}

// EntryView writes an entry given as a view, in the same wire form as Entry.
func (w *Writer) EntryView(v *entry.View) {
	b := append(w.Buf, v.NamespaceID[:]...)
	b = append(b, v.SubspaceID[:]...)
	b = binary.AppendUvarint(b, uint64(len(v.Components)))
	for _, c := range v.Components {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(v.Timestamp))
	b = binary.LittleEndian.AppendUint64(b, v.PayloadLength)
	w.Buf = append(b, v.PayloadDigest[:]...)
}

// TimeRange writes a time range.
func (w *Writer) TimeRange(t grouping.TimeRange) {
	w.U64(uint64(t.Start()))
	end, closed := t.End()
	w.Bool(closed)
	if closed {
		w.U64(uint64(end))
	}
}

// TimeRange reads a time range, refusing empty ones (CodeEmptyGrouping).
func (r *Reader) TimeRange(field string) grouping.TimeRange {
	start := entry.Timestamp(r.U64("time range start"))
	if !r.Bool("time range closed") {
		return grouping.NewOpenRange(start)
	}
	end := entry.Timestamp(r.U64("time range end"))
	if r.err != nil {
		return grouping.TimeRange{}
	}
	t, err := grouping.NewClosedRange(start, end)
	if err != nil {
		r.err = ToError(err)
	}
	return t
}

// Area writes an area.
func (w *Writer) Area(a grouping.Area) {
	id, ok := a.Subspace.ID()
	w.Bool(ok)
	if ok {
		w.Raw(id[:])
	}
	w.Path(a.Path)
	w.TimeRange(a.Times)
}

// Area reads an area.
func (r *Reader) Area(field string) grouping.Area {
	var a grouping.Area
	if r.Bool("area has subspace") {
		a.Subspace = grouping.OnlySubspace(ids.SubspaceID(r.Array32("area subspace id")))
	}
	a.Path = r.Path("area path")
	a.Times = r.TimeRange("area times")
	return a
}

// AreaOfInterest reads an area of interest, refusing a max count of 0.
func (r *Reader) AreaOfInterest(field string) grouping.AreaOfInterest {
	area := r.Area(field)
	maxCount, maxSize := r.U64("max count"), r.U64("max size")
	if r.err != nil {
		return grouping.AreaOfInterest{}
	}
	aoi, err := grouping.NewAreaOfInterest(area, maxCount, maxSize)
	if err != nil {
		r.err = ToError(err)
	}
	return aoi
}

package conformance

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// Random values for property tests, biased towards edge values, and a second,
// deliberately naive implementation of the encodings that can produce every
// code of an encoding relation (not only the canonic one): a TagPicker
// chooses the tag of each compact u64.

// EdgeU64 are the values where compact u64 codes change shape.
var EdgeU64 = []uint64{
	0, 1, 2, 3, 4, 7, 8, 11, 12, 27, 28, 59, 60, 123, 124, 250, 251, 252, 253,
	1<<8 - 1, 1 << 8, 1<<8 + 1, 1<<16 - 1, 1 << 16, 1<<16 + 1,
	1<<32 - 1, 1 << 32, 1<<32 + 1, 1<<63 - 1, 1 << 63, 1<<64 - 2, 1<<64 - 1,
}

// U64 returns an edge value, a value near an edge, or a value of a random
// bit length.
func U64(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return EdgeU64[r.IntN(len(EdgeU64))]
	case 1:
		return EdgeU64[r.IntN(len(EdgeU64))] + uint64(r.IntN(5)) - 2
	case 2:
		return r.Uint64() >> r.UintN(64)
	}
	return r.Uint64()
}

// Bytes returns n random bytes, drawn from a small alphabet half the time so
// that random paths often share components.
func Bytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	small := r.IntN(2) == 0
	for i := range b {
		if small {
			b[i] = byte(r.IntN(3))
		} else {
			b[i] = byte(r.UintN(256))
		}
	}
	return b
}

// componentLen returns a component length, biased towards the compact u64
// boundaries of the encodings, that fits in room bytes.
func componentLen(r *rand.Rand, room int) int {
	if room <= 0 {
		return 0
	}
	var n int
	switch r.IntN(6) {
	case 0:
		n = 0
	case 1, 2:
		n = r.IntN(4)
	case 3:
		n = []int{11, 12, 251, 252, 255, 256, 257, 4095, 4096}[r.IntN(9)]
	default:
		n = r.IntN(20)
	}
	return min(n, room)
}

// Path returns a random path within the Willow'25 limits: often empty or
// short, sometimes of empty components only, sometimes limit-sized.
func Path(r *rand.Rand) path.Path {
	return Extend(r, path.Path{})
}

// Extend returns p followed by random components, within the limits.
func Extend(r *rand.Rand, p path.Path) path.Path {
	var comps [][]byte
	for i := 0; i < p.Len(); i++ {
		comps = append(comps, p.Component(i))
	}
	room := path.MaxPathLength - p.TotalLength()
	slots := path.MaxComponentCount - p.Len()
	var n int
	switch r.IntN(10) {
	case 0:
		n = 0
	case 1:
		// Limit-sized: as many components as allowed, or one huge one.
		if r.IntN(2) == 0 {
			n = slots
		} else {
			n = min(1, slots)
		}
	case 2:
		n = min(slots, []int{11, 12, 13, 251, 252, 255, 256}[r.IntN(7)])
	default:
		n = min(slots, r.IntN(6))
	}
	huge := n == 1 && r.IntN(3) == 0
	for i := 0; i < n; i++ {
		l := componentLen(r, room)
		if huge {
			l = room
		} else if n > 100 {
			l = min(room, r.IntN(2))
		}
		comps = append(comps, Bytes(r, l))
		room -= l
	}
	q, err := path.New(comps...)
	if err != nil {
		panic("conformance.Extend: " + err.Error())
	}
	return q
}

// Related returns a random path that shares a random prefix with p.
func Related(r *rand.Rand, p path.Path) path.Path {
	return Extend(r, p.Prefix(r.IntN(p.Len()+1)))
}

// ID32 returns 32 random bytes, or one of a few fixed ids so that equal ids
// come up often.
func ID32(r *rand.Rand) [32]byte {
	var id [32]byte
	switch r.IntN(4) {
	case 0:
	case 1:
		for i := range id {
			id[i] = 0xff
		}
	case 2:
		id[31] = byte(r.IntN(2))
	default:
		for i := range id {
			id[i] = byte(r.UintN(256))
		}
	}
	return id
}

// Entry returns a random entry.
func Entry(r *rand.Rand) entry.Entry {
	return entry.Entry{
		NamespaceID:   ids.NamespaceID(ID32(r)),
		SubspaceID:    ids.SubspaceID(ID32(r)),
		Path:          Path(r),
		Timestamp:     entry.Timestamp(U64(r)),
		PayloadLength: U64(r),
		PayloadDigest: ids.PayloadDigest(ID32(r)),
	}
}

// EntryNear returns a random entry that shares some fields with rel.
func EntryNear(r *rand.Rand, rel entry.Entry) entry.Entry {
	e := Entry(r)
	if r.IntN(2) == 0 {
		e.NamespaceID = rel.NamespaceID
	}
	if r.IntN(2) == 0 {
		e.SubspaceID = rel.SubspaceID
	}
	if r.IntN(2) == 0 {
		e.Path = Related(r, rel.Path)
	}
	switch r.IntN(4) {
	case 0:
		e.Timestamp = rel.Timestamp
	case 1:
		e.Timestamp = rel.Timestamp + entry.Timestamp(r.IntN(300))
	case 2:
		e.Timestamp = rel.Timestamp - entry.Timestamp(r.IntN(300))
	}
	return e
}

// TimeRange returns a random non-empty time range.
func TimeRange(r *rand.Rand) grouping.TimeRange {
	start := U64(r)
	if start == 1<<64-1 || r.IntN(3) == 0 {
		return grouping.NewOpenRange(entry.Timestamp(start))
	}
	end := start + 1 + U64(r)%(1<<64-1-start)
	tr, err := grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end))
	if err != nil {
		panic(err)
	}
	return tr
}

// SubRange returns a random non-empty time range included in outer.
func SubRange(r *rand.Rand, outer grouping.TimeRange) grouping.TimeRange {
	oStart := uint64(outer.Start())
	oEnd, closed := outer.End()
	if !closed {
		start := oStart
		switch {
		case r.IntN(3) == 0:
		case oStart == 0:
			start = U64(r)
		default:
			start += U64(r) % -oStart // -oStart is 2^64 − oStart
		}
		if r.IntN(3) == 0 || start == 1<<64-1 {
			return grouping.NewOpenRange(entry.Timestamp(start))
		}
		end := start + 1 + U64(r)%(1<<64-1-start)
		tr, _ := grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end))
		return tr
	}
	width := uint64(oEnd) - oStart // ≥ 1
	pick := func() uint64 {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return width
		}
		return U64(r) % (width + 1)
	}
	a, b := pick(), pick()
	if a > b {
		a, b = b, a
	}
	if a == b {
		if b < width {
			b++
		} else {
			a--
		}
	}
	tr, err := grouping.NewClosedRange(entry.Timestamp(oStart+a), entry.Timestamp(oStart+b))
	if err != nil {
		panic(err)
	}
	return tr
}

// Area returns a random area.
func Area(r *rand.Rand) grouping.Area {
	a := grouping.Area{Path: Path(r), Times: TimeRange(r)}
	if r.IntN(2) == 0 {
		a.Subspace = grouping.OnlySubspace(ids.SubspaceID(ID32(r)))
	}
	return a
}

// SubArea returns a random area included in outer.
func SubArea(r *rand.Rand, outer grouping.Area) grouping.Area {
	a := grouping.Area{Subspace: outer.Subspace, Path: Extend(r, outer.Path), Times: SubRange(r, outer.Times)}
	if outer.Subspace.IsAny() && r.IntN(2) == 0 {
		a.Subspace = grouping.OnlySubspace(ids.SubspaceID(ID32(r)))
	}
	if r.IntN(4) == 0 {
		a.Path = outer.Path
	}
	return a
}

// A TagPicker chooses a valid tag of width w for n.
type TagPicker func(n uint64, w uint) uint8

// MinimalTag picks the minimal tag (the canonic choice).
func MinimalTag(n uint64, w uint) uint8 { return codec.CU64Tag(n, w) }

// ValidTags lists every valid tag of width w for n, minimal first.
func ValidTags(n uint64, w uint) []uint8 {
	m := uint64(1)<<w - 1
	var out []uint8
	if m >= 4 && n <= m-4 {
		out = append(out, uint8(n))
	}
	if n < 1<<8 {
		out = append(out, uint8(m-3))
	}
	if n < 1<<16 {
		out = append(out, uint8(m-2))
	}
	if n < 1<<32 {
		out = append(out, uint8(m-1))
	}
	return append(out, uint8(m))
}

// RandomTag returns a TagPicker that picks a uniformly random valid tag.
func RandomTag(r *rand.Rand) TagPicker {
	return func(n uint64, w uint) uint8 {
		tags := ValidTags(n, w)
		return tags[r.IntN(len(tags))]
	}
}

// AppendCU64Bytes appends the corresponding bytes of n for tag t of width w.
func AppendCU64Bytes(dst []byte, n uint64, t uint8, w uint) []byte {
	m := uint8(1<<w - 1)
	switch t {
	case m:
		return binary.BigEndian.AppendUint64(dst, n)
	case m - 1:
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	case m - 2:
		return binary.BigEndian.AppendUint16(dst, uint16(n))
	case m - 3:
		return append(dst, byte(n))
	}
	return dst
}

// AppendStandalone appends a standalone compact u64 of n with a picked tag.
func AppendStandalone(dst []byte, n uint64, pick TagPicker) []byte {
	t := pick(n, 8)
	return AppendCU64Bytes(append(dst, t), n, t, 8)
}

// AppendPath appends an EncodePath code of p with picked tags.
func AppendPath(dst []byte, p path.Path, pick TagPicker) []byte {
	total, count := uint64(p.TotalLength()), uint64(p.Len())
	tt, ct := pick(total, 4), pick(count, 4)
	dst = append(dst, tt<<4|ct)
	dst = AppendCU64Bytes(dst, total, tt, 4)
	dst = AppendCU64Bytes(dst, count, ct, 4)
	for i := 0; i < p.Len(); i++ {
		c := p.Component(i)
		if i < p.Len()-1 {
			dst = AppendStandalone(dst, uint64(len(c)), pick)
		}
		dst = append(dst, c...)
	}
	return dst
}

// AppendPathRelative appends an EncodePathRelativePath code of p relative to
// rel with prefix count k (which must not exceed their common prefix).
func AppendPathRelative(dst []byte, p, rel path.Path, k int, pick TagPicker) []byte {
	dst = AppendStandalone(dst, uint64(k), pick)
	return AppendPath(dst, p.Suffix(k), pick)
}

// AppendEntry appends an EncodeEntry code of e with picked tags.
func AppendEntry(dst []byte, e entry.Entry, pick TagPicker) []byte {
	dst = append(dst, e.NamespaceID[:]...)
	dst = append(dst, e.SubspaceID[:]...)
	dst = AppendPath(dst, e.Path, pick)
	dst = AppendStandalone(dst, uint64(e.Timestamp), pick)
	dst = AppendStandalone(dst, e.PayloadLength, pick)
	return append(dst, e.PayloadDigest[:]...)
}

// AppendEntryRelative appends an EncodeEntryRelativeEntry code of e relative
// to rel, with path prefix count k and picked tags.
func AppendEntryRelative(dst []byte, e, rel entry.Entry, k int, pick TagPicker) []byte {
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
	dt, lt := pick(diff, 2), pick(e.PayloadLength, 3)
	dst = append(dst, header|dt<<3|lt)
	if header&0x80 != 0 {
		dst = append(dst, e.NamespaceID[:]...)
	}
	if header&0x40 != 0 {
		dst = append(dst, e.SubspaceID[:]...)
	}
	dst = AppendCU64Bytes(dst, diff, dt, 2)
	dst = AppendCU64Bytes(dst, e.PayloadLength, lt, 3)
	dst = AppendPathRelative(dst, e.Path, rel.Path, k, pick)
	return append(dst, e.PayloadDigest[:]...)
}

// AreaChoices are the free choices of an EncodeAreaInArea code.
type AreaChoices struct {
	StartFromStart, EndFromStart bool
	EndBits                      uint8 // the end_diff tag bits when the end is open (arbitrary)
}

// AreaChoicesFor lists every valid choice for a in outer (one to four
// combinations of the flags, each with the end bits 0 and, for open ends,
// also a random non-zero value).
func AreaChoicesFor(r *rand.Rand, a, outer grouping.Area) []AreaChoices {
	_, aClosed := a.Times.End()
	_, oClosed := outer.Times.End()
	var out []AreaChoices
	if !oClosed {
		out = append(out, AreaChoices{StartFromStart: true, EndFromStart: aClosed})
	} else {
		for _, s := range []bool{false, true} {
			for _, e := range []bool{false, true} {
				out = append(out, AreaChoices{StartFromStart: s, EndFromStart: e})
			}
		}
	}
	if !aClosed {
		out = append(out, AreaChoices{StartFromStart: out[0].StartFromStart, EndFromStart: out[0].EndFromStart, EndBits: uint8(1 + r.IntN(3))})
	}
	return out
}

// AppendAreaInArea appends an EncodeAreaInArea code of a relative to outer
// (which must include a) with the given choices and picked tags.
func AppendAreaInArea(dst []byte, a, outer grouping.Area, ch AreaChoices, pick TagPicker) []byte {
	var header byte
	if a.Subspace != outer.Subspace {
		header |= 0x80
	}
	aEnd, aClosed := a.Times.End()
	oEnd, _ := outer.Times.End()
	aStart, oStart := uint64(a.Times.Start()), uint64(outer.Times.Start())
	if !aClosed {
		header |= 0x40
	}
	startDiff := uint64(oEnd) - aStart
	if ch.StartFromStart {
		header |= 0x20
		startDiff = aStart - oStart
	}
	endDiff := uint64(oEnd) - uint64(aEnd)
	if ch.EndFromStart {
		header |= 0x10
		endDiff = uint64(aEnd) - oStart
	}
	st := pick(startDiff, 2)
	header |= st << 2
	var et uint8
	if aClosed {
		et = pick(endDiff, 2)
		header |= et
	} else {
		header |= ch.EndBits & 0x03
	}
	dst = append(dst, header)
	if header&0x80 != 0 {
		id, _ := a.Subspace.ID()
		dst = append(dst, id[:]...)
	}
	dst = AppendCU64Bytes(dst, startDiff, st, 2)
	if aClosed {
		dst = AppendCU64Bytes(dst, endDiff, et, 2)
	}
	return AppendPath(dst, a.Path.Suffix(outer.Path.Len()), pick)
}

// lowerID returns id or a random smaller subspace id.
func lowerID(r *rand.Rand, id ids.SubspaceID) ids.SubspaceID {
	i := r.IntN(32)
	if r.IntN(3) == 0 || id[i] == 0 {
		return id
	}
	id[i] = byte(r.IntN(int(id[i])))
	return id
}

// higherID returns a random greater subspace id, and false if it found none.
func higherID(r *rand.Rand, id ids.SubspaceID) (ids.SubspaceID, bool) {
	for range 4 {
		i := r.IntN(32)
		if id[i] < 0xff {
			id[i] += byte(1 + r.IntN(int(0xff-id[i])))
			return id, true
		}
	}
	return id, false
}

// Range3dAround returns a random 3dRange that includes e.
func Range3dAround(r *rand.Rand, e entry.Entry) grouping.Range3d {
	var out grouping.Range3d
	sStart := lowerID(r, e.SubspaceID)
	out.Subspaces = grouping.NewOpenRange(sStart)
	if end, ok := higherID(r, e.SubspaceID); ok && r.IntN(4) != 0 {
		out.Subspaces, _ = grouping.NewClosedRange(sStart, end)
	}
	pStart := e.Path
	if r.IntN(2) == 0 {
		pStart = e.Path.Prefix(r.IntN(e.Path.Len() + 1))
	}
	out.Paths = grouping.NewOpenRange(pStart)
	if r.IntN(4) != 0 {
		end, ok := e.Path.Successor()
		if r.IntN(2) == 0 {
			if g, ok2 := e.Path.GreaterButNotPrefixed(); ok2 {
				end, ok = g, true
			}
		}
		if ok {
			out.Paths, _ = grouping.NewClosedRange(pStart, end)
		}
	}
	ts := uint64(e.Timestamp)
	tStart := ts
	if r.IntN(3) != 0 {
		if ts == 1<<64-1 {
			tStart = ts - U64(r)%ts
		} else {
			tStart = ts - U64(r)%(ts+1)
		}
	}
	out.Times = grouping.NewOpenRange(entry.Timestamp(tStart))
	if ts < 1<<64-1 && r.IntN(4) != 0 {
		end := ts + 1 + U64(r)%(1<<64-1-ts)
		out.Times, _ = grouping.NewClosedRange(entry.Timestamp(tStart), entry.Timestamp(end))
	}
	return out
}

// Range3d returns a random 3dRange.
func Range3d(r *rand.Rand) grouping.Range3d { return Range3dAround(r, Entry(r)) }

// Range3dNear returns a random 3dRange that often shares bounds with ref.
func Range3dNear(r *rand.Rand, ref grouping.Range3d) grouping.Range3d {
	v := Range3d(r)
	if r.IntN(2) == 0 {
		v = Range3dAround(r, EntryIn(r, ref))
	}
	// Share bounds where that keeps v non-empty.
	if r.IntN(3) == 0 {
		if end, closed := v.Subspaces.End(); !closed {
			v.Subspaces = grouping.NewOpenRange(ref.Subspaces.Start())
		} else if s, err := grouping.NewClosedRange(ref.Subspaces.Start(), end); err == nil {
			v.Subspaces = s
		}
	}
	if end, closed := ref.Subspaces.End(); closed && r.IntN(3) == 0 {
		if s, err := grouping.NewClosedRange(v.Subspaces.Start(), end); err == nil {
			v.Subspaces = s
		}
	}
	if end, closed := ref.Paths.End(); closed && r.IntN(3) == 0 {
		if p, err := grouping.NewClosedRange(v.Paths.Start(), end); err == nil {
			v.Paths = p
		}
	}
	if end, closed := v.Times.End(); closed && r.IntN(3) == 0 {
		if t, err := grouping.NewClosedRange(ref.Times.Start(), end); err == nil {
			v.Times = t
		}
	}
	if end, closed := ref.Times.End(); closed && r.IntN(3) == 0 {
		if t, err := grouping.NewClosedRange(v.Times.Start(), end); err == nil {
			v.Times = t
		}
	}
	return v
}

// EntryIn returns a random entry that ref includes.
func EntryIn(r *rand.Rand, ref grouping.Range3d) entry.Entry {
	e := Entry(r)
	e.SubspaceID = ref.Subspaces.Start()
	if end, closed := ref.Subspaces.End(); !closed || r.IntN(2) == 0 {
		if id, ok := higherID(r, e.SubspaceID); ok && (!closed || id.Compare(end) < 0) {
			e.SubspaceID = id
		}
	}
	e.Path = ref.Paths.Start()
	if q := Extend(r, e.Path); ref.Paths.Includes(q) {
		e.Path = q
	}
	start := uint64(ref.Times.Start())
	e.Timestamp = ref.Times.Start()
	if end, closed := ref.Times.End(); closed {
		e.Timestamp += entry.Timestamp(U64(r) % (uint64(end) - start))
	} else if start < 1<<64-1 {
		e.Timestamp += entry.Timestamp(U64(r) % (1<<64 - 1 - start))
	}
	return e
}

// AppendEntryIn3dRange appends an EncodeEntryInNamespace3dRange code of e
// (which ref includes) with the given choices (a from-end choice needs a
// closed range), path prefix count k and picked tags.
func AppendEntryIn3dRange(dst []byte, e entry.Entry, ref grouping.Range3d, pathFromStart, timeFromStart bool, k int, pick TagPicker) []byte {
	var header byte
	if e.SubspaceID != ref.Subspaces.Start() {
		header |= 0x80
	}
	pathRef := ref.Paths.Start()
	if pathFromStart {
		header |= 0x40
	} else {
		pathRef, _ = ref.Paths.End()
	}
	diff := uint64(e.Timestamp - ref.Times.Start())
	if timeFromStart {
		header |= 0x20
	} else {
		end, _ := ref.Times.End()
		diff = uint64(end - e.Timestamp)
	}
	dt, lt := pick(diff, 2), pick(e.PayloadLength, 3)
	dst = append(dst, header|dt<<3|lt)
	if header&0x80 != 0 {
		dst = append(dst, e.SubspaceID[:]...)
	}
	dst = AppendPathRelative(dst, e.Path, pathRef, min(k, e.Path.CommonPrefixLen(pathRef)), pick)
	dst = AppendCU64Bytes(dst, diff, dt, 2)
	dst = AppendCU64Bytes(dst, e.PayloadLength, lt, 3)
	return append(dst, e.PayloadDigest[:]...)
}

// Range3dChoices are the free choices of an Encode3dRangeRelative3dRange
// code. The encoder falls back to a valid choice where one is not allowed.
type Range3dChoices struct {
	SubStartExplicit, SubEndExplicit     bool // 11 even where 01 or 10 would do
	PathStartFromStart, PathEndFromStart bool
	TimeStartFromStart, TimeEndFromStart bool
	Arbitrary                            uint8 // values for the arbitrary bits
	StartK, EndK                         int   // path prefix counts (clamped to the common prefix)
}

// RandomRange3dChoices draws random choices.
func RandomRange3dChoices(r *rand.Rand) Range3dChoices {
	b := func() bool { return r.IntN(2) == 0 }
	return Range3dChoices{b(), b(), b(), b(), b(), b(), uint8(r.UintN(256)), r.IntN(5), r.IntN(5)}
}

// AppendRange3dRelative appends an Encode3dRangeRelative3dRange code of v
// relative to ref with the given choices and picked tags.
func AppendRange3dRelative(dst []byte, v, ref grouping.Range3d, ch Range3dChoices, pick TagPicker) []byte {
	var h1, h2 byte
	rsEnd, rsClosed := ref.Subspaces.End()
	vsEnd, vsClosed := v.Subspaces.End()
	switch {
	case v.Subspaces.Start() == ref.Subspaces.Start() && !ch.SubStartExplicit:
		h1 |= 0x40
	case rsClosed && v.Subspaces.Start() == rsEnd && !ch.SubStartExplicit:
		h1 |= 0x80
	default:
		h1 |= 0xc0
	}
	switch {
	case !vsClosed:
	case vsEnd == ref.Subspaces.Start() && !ch.SubEndExplicit:
		h1 |= 0x10
	case rsClosed && vsEnd == rsEnd && !ch.SubEndExplicit:
		h1 |= 0x20
	default:
		h1 |= 0x30
	}
	rpEnd, rpClosed := ref.Paths.End()
	vpEnd, vpClosed := v.Paths.End()
	startRef := ref.Paths.Start()
	if ch.PathStartFromStart || !rpClosed {
		h1 |= 0x08
	} else {
		startRef = rpEnd
	}
	endRef := ref.Paths.Start()
	if !vpClosed {
		h1 |= 0x04 | ch.Arbitrary&0x02
	} else if ch.PathEndFromStart || !rpClosed {
		h1 |= 0x02
	} else {
		endRef = rpEnd
	}
	rtEnd, rtClosed := ref.Times.End()
	vtEnd, vtClosed := v.Times.End()
	if !vtClosed {
		h1 |= 0x01
	}
	diff := func(t uint64, fromStart bool, arbitrary byte) (flags byte, d uint64) {
		refT := uint64(ref.Times.Start())
		if fromStart || !rtClosed {
			flags |= 0x2
		} else {
			refT = uint64(rtEnd)
		}
		switch {
		case t > refT:
			flags |= 0x1
		case t == refT:
			flags |= arbitrary & 0x1
		}
		return flags, absDiff(t, refT)
	}
	sf, sd := diff(uint64(v.Times.Start()), ch.TimeStartFromStart, ch.Arbitrary>>2)
	st := pick(sd, 2)
	h2 |= sf<<6 | st<<4
	var ed uint64
	var et uint8
	if vtClosed {
		var ef byte
		ef, ed = diff(uint64(vtEnd), ch.TimeEndFromStart, ch.Arbitrary>>3)
		et = pick(ed, 2)
		h2 |= ef<<2 | et
	} else {
		h2 |= ch.Arbitrary >> 4 & 0x0f
	}
	dst = append(dst, h1, h2)
	if h1&0xc0 == 0xc0 {
		id := v.Subspaces.Start()
		dst = append(dst, id[:]...)
	}
	if h1&0x30 == 0x30 {
		dst = append(dst, vsEnd[:]...)
	}
	dst = AppendPathRelative(dst, v.Paths.Start(), startRef, min(ch.StartK, v.Paths.Start().CommonPrefixLen(startRef)), pick)
	if vpClosed {
		dst = AppendPathRelative(dst, vpEnd, endRef, min(ch.EndK, vpEnd.CommonPrefixLen(endRef)), pick)
	}
	dst = AppendCU64Bytes(dst, sd, st, 2)
	if vtClosed {
		dst = AppendCU64Bytes(dst, ed, et, 2)
	}
	return dst
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

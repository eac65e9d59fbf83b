package meadowcap

import (
	"strconv"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// PrivateInterest is the part of a PrivateAreaContext that a private encoding
// keeps secret: a namespace, a subspace (or any) and a path.
type PrivateInterest struct {
	Namespace ids.NamespaceID       // the namespace of interest
	Subspace  grouping.AreaSubspace // a subspace, or any
	Path      path.Path             // the path of interest (and everything below it)
}

// PrivateInterestOfEntry is the private interest the relative token
// encodings use: the entry's namespace, subspace and path.
func PrivateInterestOfEntry(e entry.Entry) PrivateInterest {
	return PrivateInterest{Namespace: e.NamespaceID, Subspace: grouping.OnlySubspace(e.SubspaceID), Path: e.Path}
}

// AlmostIncludesArea reports whether the private interest almost includes
// the area: the paths are related and the subspaces are equal or one of them
// is any.
func (p PrivateInterest) AlmostIncludesArea(a grouping.Area) bool {
	return p.Path.IsRelatedTo(a.Path) && subspacesCompatible(p.Subspace, a.Subspace)
}

// PrivateAreaContext is the context of EncodePrivateAreaAlmostInArea: the
// private interest to keep secret and the area relative to which to encode.
type PrivateAreaContext struct {
	Private PrivateInterest // kept secret by the encoding
	Rel     grouping.Area   // the area that almost includes the encoded one
}

// AlmostIncludes reports whether area a almost includes area b: the
// subspaces are equal or one is any, and a with b's subspace includes b.
func AlmostIncludes(a, b grouping.Area) bool {
	if !subspacesCompatible(a.Subspace, b.Subspace) {
		return false
	}
	return a.Path.IsPrefixOf(b.Path) && a.Times.IncludesRange(b.Times)
}

func subspacesCompatible(a, b grouping.AreaSubspace) bool {
	return a.IsAny() || b.IsAny() || a == b
}

// AppendEncodePrivatePathExtendsPath appends the EncodePrivatePathExtendsPath
// code of val relative to the context (private, rel), which requires rel to
// prefix val and private to be related to val (else ErrNotEncodable):
//
//   - if private has no more components than rel: EncodePathExtendsPath(val, rel);
//   - else the standalone compact u64 of the component count of the longest
//     common prefix of val and private, followed, only if private prefixes
//     val, by EncodePathExtendsPath(val, private).
func AppendEncodePrivatePathExtendsPath(dst []byte, val, private, rel path.Path) ([]byte, error) {
	if !rel.IsPrefixOf(val) || !private.IsRelatedTo(val) {
		return dst, newError(ErrNotEncodable, NoDelegation, "private path encoding needs rel to prefix the path and private to be related to it", nil)
	}
	if private.Len() <= rel.Len() {
		return path.AppendEncodeExtends(dst, val, rel)
	}
	dst = codec.AppendStandaloneCU64(dst, uint64(val.CommonPrefixLen(private)))
	if private.IsPrefixOf(val) {
		return path.AppendEncodeExtends(dst, val, private)
	}
	return dst, nil
}

// DecodePrivatePathExtendsPath reads one EncodePrivatePathExtendsPath code
// relative to (private, rel). It rejects codes of paths that rel does not
// prefix or to which private is not related.
func DecodePrivatePathExtendsPath(d *codec.Decoder, private, rel path.Path) (path.Path, error) {
	at := d.Offset()
	if private.Len() <= rel.Len() {
		val, err := path.DecodeExtends(d, rel)
		if err != nil {
			return path.Path{}, err
		}
		if !private.IsRelatedTo(val) {
			return path.Path{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "private path",
				Detail: "the private path is not related to the decoded path"}
		}
		return val, nil
	}
	k, err := d.StandaloneCU64("private path common prefix count")
	if err != nil {
		return path.Path{}, err
	}
	if k > uint64(private.Len()) {
		return path.Path{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "private path common prefix count",
			Detail: strconv.FormatUint(k, 10) + " exceeds the private path's " + strconv.Itoa(private.Len()) + " components"}
	}
	// rel must prefix the result, which starts with private[:k] in both cases.
	if !rel.IsPrefixOf(private) || int(k) < rel.Len() {
		return path.Path{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "private path common prefix count",
			Detail: "the reference path would not prefix the decoded path"}
	}
	if int(k) < private.Len() {
		// private does not prefix val but is related to it: val = private[:k].
		return private.Prefix(int(k)), nil
	}
	return path.DecodeExtends(d, private)
}

// AppendEncodePrivateAreaAlmostInArea appends the
// EncodePrivateAreaAlmostInArea code of val relative to ctx. ctx.Rel must
// almost include val and ctx.Private must almost include ctx.Rel (else
// ErrNotEncodable).
//
//	header: bit 0 = subspace differs from ctx.Rel's, bit 1 = subspace is any,
//	        bit 2 = start_from_start, bit 3 = end_from_start,
//	        bits 4–5 = 2-bit tag of start_diff, bits 6–7 = 2-bit tag of end_diff
//	subspace id iff specific and different from ctx.Rel's
//	start_diff bytes; end_diff bytes unless val's end is open
//	EncodePrivatePathExtendsPath(val.Path; ctx.Private.Path, ctx.Rel.Path)
//
// The spec defines no canonic form. When ctx.Rel's end is open the flags are
// forced; otherwise this encoder picks the smaller difference, ties going to
// "from start". The end_diff tag bits of an open end are zero.
func AppendEncodePrivateAreaAlmostInArea(dst []byte, val grouping.Area, ctx PrivateAreaContext) ([]byte, error) {
	if !AlmostIncludes(ctx.Rel, val) || !ctx.Private.AlmostIncludesArea(ctx.Rel) {
		return dst, newError(ErrNotEncodable, NoDelegation, "private area encoding needs rel to almost include the area and the private interest to almost include rel", nil)
	}
	var header byte
	if val.Subspace != ctx.Rel.Subspace {
		header |= 0x80
	}
	if val.Subspace.IsAny() {
		header |= 0x40
	}
	vStart := uint64(val.Times.Start())
	rStart := uint64(ctx.Rel.Times.Start())
	vEnd, vClosed := val.Times.End()
	rEnd, rClosed := ctx.Rel.Times.End()
	var startDiff, endDiff uint64
	if !rClosed {
		header |= 0x20
		startDiff = vStart - rStart
		if vClosed {
			header |= 0x10
			endDiff = uint64(vEnd) - rStart
		}
	} else {
		// rel closed ⇒ val closed (rel's times include val's).
		if fromStart, fromEnd := vStart-rStart, uint64(rEnd)-vStart; fromStart <= fromEnd {
			header |= 0x20
			startDiff = fromStart
		} else {
			startDiff = fromEnd
		}
		if fromStart, fromEnd := uint64(vEnd)-rStart, uint64(rEnd)-uint64(vEnd); fromStart <= fromEnd {
			header |= 0x10
			endDiff = fromStart
		} else {
			endDiff = fromEnd
		}
	}
	header |= codec.CU64Tag(startDiff, 2) << 2
	if vClosed {
		header |= codec.CU64Tag(endDiff, 2)
	}
	start := len(dst)
	dst = append(dst, header)
	// The spec's condition reads "val.subspace != open and != rel.subspace";
	// "open" there means any (spec-notes §9.2 #13).
	if id, ok := val.Subspace.ID(); ok && header&0x80 != 0 {
		dst = append(dst, id[:]...)
	}
	dst = codec.AppendCU64(dst, startDiff, 2)
	if vClosed {
		dst = codec.AppendCU64(dst, endDiff, 2)
	}
	dst, err := AppendEncodePrivatePathExtendsPath(dst, val.Path, ctx.Private.Path, ctx.Rel.Path)
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// DecodePrivateAreaAlmostInArea reads one EncodePrivateAreaAlmostInArea code
// relative to ctx. It rejects contexts whose private interest does not almost
// include ctx.Rel, flags that contradict ctx.Rel, empty time ranges and areas
// that ctx.Rel does not almost include.
func DecodePrivateAreaAlmostInArea(d *codec.Decoder, ctx PrivateAreaContext) (grouping.Area, error) {
	headerAt := d.Offset()
	invalid := func(at int, field, detail string) error {
		return &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: field, Detail: detail}
	}
	if !ctx.Private.AlmostIncludesArea(ctx.Rel) {
		return grouping.Area{}, invalid(headerAt, "private area context", "the private interest does not almost include the reference area")
	}
	header, err := d.Byte("private area header")
	if err != nil {
		return grouping.Area{}, err
	}
	var val grouping.Area
	differs, isAny := header&0x80 != 0, header&0x40 != 0
	switch {
	case !differs:
		if isAny != ctx.Rel.Subspace.IsAny() {
			return grouping.Area{}, invalid(headerAt, "private area header", "subspace flags contradict the reference subspace")
		}
		val.Subspace = ctx.Rel.Subspace
	case isAny:
		if ctx.Rel.Subspace.IsAny() {
			return grouping.Area{}, invalid(headerAt, "private area header", "subspace flagged as different but both are any")
		}
		val.Subspace = grouping.AnySubspace()
	default:
		if !ctx.Rel.Subspace.IsAny() {
			return grouping.Area{}, invalid(headerAt, "private area header", "a specific subspace different from a specific reference subspace")
		}
		id, err := d.Array32("private area subspace id")
		if err != nil {
			return grouping.Area{}, err
		}
		val.Subspace = grouping.OnlySubspace(ids.SubspaceID(id))
	}
	startFromStart, endFromStart := header&0x20 != 0, header&0x10 != 0
	rStart := uint64(ctx.Rel.Times.Start())
	rEnd, rClosed := ctx.Rel.Times.End()
	// There is no "end is open" flag: a closed reference includes only closed
	// ranges; against an open reference, end_from_start is set iff the end is
	// closed.
	open := false
	if !rClosed {
		if !startFromStart {
			return grouping.Area{}, invalid(headerAt, "private area header", "start_from_start must be set when the reference end is open")
		}
		open = !endFromStart
	}
	startAt := d.Offset()
	startDiff, err := d.CU64(header>>2&0x03, 2, "private area start difference")
	if err != nil {
		return grouping.Area{}, err
	}
	var vStart uint64
	if startFromStart {
		if vStart = rStart + startDiff; vStart < rStart {
			return grouping.Area{}, invalid(startAt, "private area start difference", "start overflows 2^64-1")
		}
	} else {
		if startDiff > uint64(rEnd) {
			return grouping.Area{}, invalid(startAt, "private area start difference", "start would be negative")
		}
		vStart = uint64(rEnd) - startDiff
	}
	if open {
		val.Times = grouping.NewOpenRange(entry.Timestamp(vStart))
	} else {
		endAt := d.Offset()
		endDiff, err := d.CU64(header&0x03, 2, "private area end difference")
		if err != nil {
			return grouping.Area{}, err
		}
		var vEnd uint64
		if endFromStart {
			if vEnd = rStart + endDiff; vEnd < rStart {
				return grouping.Area{}, invalid(endAt, "private area end difference", "end overflows 2^64-1")
			}
		} else {
			if endDiff > uint64(rEnd) {
				return grouping.Area{}, invalid(endAt, "private area end difference", "end would be negative")
			}
			vEnd = uint64(rEnd) - endDiff
		}
		if val.Times, err = grouping.NewClosedRange(entry.Timestamp(vStart), entry.Timestamp(vEnd)); err != nil {
			return grouping.Area{}, invalid(startAt, "private area time range", err.Error())
		}
	}
	if !ctx.Rel.Times.IncludesRange(val.Times) {
		return grouping.Area{}, invalid(startAt, "private area time range", "not included in the reference time range")
	}
	if val.Path, err = DecodePrivatePathExtendsPath(d, ctx.Private.Path, ctx.Rel.Path); err != nil {
		return grouping.Area{}, err
	}
	return val, nil
}

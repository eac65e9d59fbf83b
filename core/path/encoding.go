package path

import (
	"errors"
	"strconv"

	"github.com/willow-web/willow-web/core/codec"
)

// ErrNotPrefix is returned when encoding a path relative to a path that
// should prefix it but does not.
var ErrNotPrefix = errors.New("reference path is not a prefix")

// AppendEncode appends EncodePath(p), the canonic encode_path code: a header
// byte with two 4-bit tags (total length, component count), their
// corresponding bytes, each component but the last prefixed by its
// standalone compact u64 length, and the last component's bytes.
func AppendEncode(dst []byte, p Path) []byte { return appendComponents(dst, p, 0) }

// Encode returns the canonic EncodePath code of p.
func Encode(p Path) []byte { return AppendEncode(nil, p) }

// appendComponents appends EncodePath of the components of p from index from on.
func appendComponents(dst []byte, p Path, from int) []byte {
	count := uint64(p.Len() - from)
	start := 0
	if from > 0 {
		start = p.ends[from-1]
	}
	total := uint64(p.TotalLength() - start)
	dst = append(dst, codec.CU64Tag(total, 4)<<4|codec.CU64Tag(count, 4))
	dst = codec.AppendCU64(dst, total, 4)
	dst = codec.AppendCU64(dst, count, 4)
	for i := from; i < p.Len(); i++ {
		c := p.Component(i)
		if i < p.Len()-1 {
			dst = codec.AppendStandaloneCU64(dst, uint64(len(c)))
		}
		dst = append(dst, c...)
	}
	return dst
}

// Decode reads one EncodePath code (any code of the relation, or only the
// canonic one if d is canonic).
func Decode(d *codec.Decoder) (Path, error) {
	total, count, err := decodeHeader(d)
	if err != nil || count == 0 {
		return Path{}, err
	}
	p := Path{data: make([]byte, 0, total), ends: make([]int, count)}
	for i := 0; i < int(count)-1; i++ {
		b, err := decodeComponent(d, i, total-uint64(len(p.data)))
		if err != nil {
			return Path{}, err
		}
		p.data = append(p.data, b...)
		p.ends[i] = len(p.data)
	}
	b, err := d.Bytes(int(total)-len(p.data), "last path component")
	if err != nil {
		return Path{}, err
	}
	p.data = append(p.data, b...)
	p.ends[count-1] = len(p.data)
	return p, nil
}

// DecodeComponents reads one EncodePath code exactly as Decode does, but
// appends its components to dst as views of the decoder's input instead of
// building a Path: with room in dst it does not allocate. For callers that
// only pass the components on (the JavaScript bridge transcodes batches of
// entries this way); the views alias the input.
func DecodeComponents(d *codec.Decoder, dst [][]byte) ([][]byte, error) {
	total, count, err := decodeHeader(d)
	if err != nil || count == 0 {
		return dst, err
	}
	var got uint64
	for i := 0; i < int(count)-1; i++ {
		b, err := decodeComponent(d, i, total-got)
		if err != nil {
			return dst, err
		}
		dst = append(dst, b)
		got += uint64(len(b))
	}
	b, err := d.Bytes(int(total-got), "last path component")
	if err != nil {
		return dst, err
	}
	return append(dst, b), nil
}

// decodeHeader reads an EncodePath header with its total length and
// component count, enforcing the limits and, for a non-empty path, that the
// input can hold the components.
func decodeHeader(d *codec.Decoder) (total, count uint64, err error) {
	header, err := d.Byte("path header")
	if err != nil {
		return 0, 0, err
	}
	totalAt := d.Offset()
	total, err = d.CU64(header>>4, 4, "path total length")
	if err != nil {
		return 0, 0, err
	}
	if total > MaxPathLength {
		return 0, 0, &codec.DecodeError{Kind: codec.ErrLimit, Offset: totalAt, Field: "path total length",
			Detail: strconv.FormatUint(total, 10) + " > " + strconv.Itoa(MaxPathLength)}
	}
	countAt := d.Offset()
	count, err = d.CU64(header&0x0f, 4, "path component count")
	if err != nil {
		return 0, 0, err
	}
	if count > MaxComponentCount {
		return 0, 0, &codec.DecodeError{Kind: codec.ErrLimit, Offset: countAt, Field: "path component count",
			Detail: strconv.FormatUint(count, 10) + " > " + strconv.Itoa(MaxComponentCount)}
	}
	if count == 0 {
		if total != 0 {
			return 0, 0, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: totalAt, Field: "path total length",
				Detail: "no components but " + strconv.FormatUint(total, 10) + " bytes"}
		}
		return 0, 0, nil
	}
	// Every component but the last needs at least one length byte, and the
	// total length in content bytes: refuse to allocate for what the input
	// cannot hold.
	if need := total + count - 1; need > uint64(d.Remaining()) {
		return 0, 0, d.Errorf(codec.ErrTruncated, "path components",
			"need at least "+strconv.FormatUint(need, 10)+" bytes, have "+strconv.Itoa(d.Remaining()))
	}
	return total, count, nil
}

// decodeComponent reads component i (not the last) of a path with left
// bytes of its total length still unread.
func decodeComponent(d *codec.Decoder, i int, left uint64) ([]byte, error) {
	lenAt := d.Offset()
	n, err := d.StandaloneCU64("path component length")
	if err != nil {
		return nil, err
	}
	if n > left {
		return nil, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: lenAt, Field: "path component length",
			Detail: "component " + strconv.Itoa(i) + " overruns the total length"}
	}
	return d.Bytes(int(n), "path component")
}

// AppendEncodeComponents appends the EncodePath code of the path with the
// given components, refusing (like New, with ErrLimit) components beyond
// the Willow'25 limits: AppendEncode without building a Path.
func AppendEncodeComponents(dst []byte, components [][]byte) ([]byte, error) {
	total, err := checkComponents(components)
	if err != nil {
		return dst, err
	}
	count := uint64(len(components))
	dst = append(dst, codec.CU64Tag(uint64(total), 4)<<4|codec.CU64Tag(count, 4))
	dst = codec.AppendCU64(dst, uint64(total), 4)
	dst = codec.AppendCU64(dst, count, 4)
	for i, c := range components {
		if i < len(components)-1 {
			dst = codec.AppendStandaloneCU64(dst, uint64(len(c)))
		}
		dst = append(dst, c...)
	}
	return dst, nil
}

// AppendEncodeRelative appends the canonic EncodePathRelativePath code of p
// relative to rel (path_rel_path): the standalone compact u64 of the longest
// common prefix's component count k, then EncodePath of p's components after k.
func AppendEncodeRelative(dst []byte, p, rel Path) []byte {
	k := p.CommonPrefixLen(rel)
	dst = codec.AppendStandaloneCU64(dst, uint64(k))
	return appendComponents(dst, p, k)
}

// DecodeRelative reads one EncodePathRelativePath code relative to rel. A
// canonic decoder also requires the prefix count to be maximal.
func DecodeRelative(d *codec.Decoder, rel Path) (Path, error) {
	at := d.Offset()
	k, err := d.StandaloneCU64("relative path prefix count")
	if err != nil {
		return Path{}, err
	}
	if k > uint64(rel.Len()) {
		return Path{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "relative path prefix count",
			Detail: strconv.FormatUint(k, 10) + " exceeds the reference path's " + strconv.Itoa(rel.Len()) + " components"}
	}
	sufAt := d.Offset()
	suffix, err := Decode(d)
	if err != nil {
		return Path{}, err
	}
	if d.Canonic() && suffix.Len() > 0 && int(k) < rel.Len() && string(suffix.Component(0)) == string(rel.Component(int(k))) {
		return Path{}, &codec.DecodeError{Kind: codec.ErrNonCanonic, Offset: at, Field: "relative path prefix count",
			Detail: "prefix count is not maximal"}
	}
	p, err := rel.Prefix(int(k)).Concat(suffix)
	if err != nil {
		return Path{}, &codec.DecodeError{Kind: codec.ErrLimit, Offset: sufAt, Field: "relative path", Detail: err.Error()}
	}
	return p, nil
}

// AppendEncodeExtends appends the EncodePathExtendsPath code of p relative to
// prefix (path_extends_path): EncodePath of p's components after prefix. It
// fails with ErrNotPrefix if prefix does not prefix p.
func AppendEncodeExtends(dst []byte, p, prefix Path) ([]byte, error) {
	if !prefix.IsPrefixOf(p) {
		return dst, ErrNotPrefix
	}
	return appendComponents(dst, p, prefix.Len()), nil
}

// DecodeExtends reads one EncodePathExtendsPath code relative to prefix.
func DecodeExtends(d *codec.Decoder, prefix Path) (Path, error) {
	at := d.Offset()
	suffix, err := Decode(d)
	if err != nil {
		return Path{}, err
	}
	p, err := prefix.Concat(suffix)
	if err != nil {
		return Path{}, &codec.DecodeError{Kind: codec.ErrLimit, Offset: at, Field: "extending path", Detail: err.Error()}
	}
	return p, nil
}

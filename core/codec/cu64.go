package codec

import (
	"encoding/binary"
	"strconv"
)

// A compact u64 is a tag of 2 to 8 bits, stored in some header byte, plus the
// tag's "corresponding bytes" after it. For tag width w and M = 2^w−1, tag M
// means 8 bytes follow (big-endian), M−1 four, M−2 two, M−3 one, and any
// smaller tag t is the value t itself with no bytes following.

// MinTagWidth and MaxTagWidth bound the tag widths the encodings use.
const (
	MinTagWidth = 2
	MaxTagWidth = 8
)

// CU64Tag returns the minimal tag of width w (2 ≤ w ≤ 8) for n: the
// numerically least tag that can represent n.
func CU64Tag(n uint64, w uint) uint8 {
	m := uint64(1)<<w - 1
	switch {
	case m >= 4 && n <= m-4: // not n+4 <= m, which wraps for n ≥ 2^64−4
		return uint8(n)
	case n < 1<<8:
		return uint8(m - 3)
	case n < 1<<16:
		return uint8(m - 2)
	case n < 1<<32:
		return uint8(m - 1)
	default:
		return uint8(m)
	}
}

// cu64Size is the number of corresponding bytes of tag t of width w, or −1 for
// an inline value.
func cu64Size(t uint8, w uint) int {
	m := uint8(1<<w - 1)
	switch t {
	case m:
		return 8
	case m - 1:
		return 4
	case m - 2:
		return 2
	case m - 3:
		return 1
	}
	return 0
}

// AppendCU64 appends the corresponding bytes of n for the minimal tag of width
// w (nothing when the value is inline in the tag).
func AppendCU64(dst []byte, n uint64, w uint) []byte {
	switch cu64Size(CU64Tag(n, w), w) {
	case 1:
		return append(dst, byte(n))
	case 2:
		return binary.BigEndian.AppendUint16(dst, uint16(n))
	case 4:
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	case 8:
		return binary.BigEndian.AppendUint64(dst, n)
	}
	return dst
}

// AppendStandaloneCU64 appends the standalone compact u64 of n: an 8-bit tag
// byte followed by its corresponding bytes.
func AppendStandaloneCU64(dst []byte, n uint64) []byte {
	dst = append(dst, CU64Tag(n, 8))
	return AppendCU64(dst, n, 8)
}

// CU64Len is the number of corresponding bytes the minimal tag of width w
// needs for n.
func CU64Len(n uint64, w uint) int { return cu64Size(CU64Tag(n, w), w) }

// CU64 reads the corresponding bytes of tag t (of width w) and returns the
// value. In canonic mode it rejects any tag that is not minimal for the value.
func (d *Decoder) CU64(t uint8, w uint, field string) (uint64, error) {
	if w < MinTagWidth || w > MaxTagWidth || uint(t) >= 1<<w {
		return 0, d.Errorf(ErrInvalid, field, "tag "+strconv.Itoa(int(t))+" does not fit "+strconv.Itoa(int(w))+" bits")
	}
	start := d.off
	size := cu64Size(t, w)
	var n uint64
	if size == 0 {
		n = uint64(t)
	} else {
		b, err := d.Bytes(size, field)
		if err != nil {
			return 0, err
		}
		for _, x := range b {
			n = n<<8 | uint64(x)
		}
	}
	// The value must fit the tag (e.g. a 1-byte tag cannot hold ≥ 2^8, which
	// holds by construction) and, canonically, the tag must be minimal.
	if d.mode == Canonic && CU64Tag(n, w) != t {
		return 0, d.errorAt(start, ErrNonCanonic, field, "value "+strconv.FormatUint(n, 10)+" has a shorter tag")
	}
	return n, nil
}

// StandaloneCU64 reads a standalone compact u64 (8-bit tag byte then its
// corresponding bytes).
func (d *Decoder) StandaloneCU64(field string) (uint64, error) {
	t, err := d.Byte(field)
	if err != nil {
		return 0, err
	}
	return d.CU64(t, 8, field)
}

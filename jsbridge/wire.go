package jsbridge

import (
	"encoding/binary"

	"github.com/willow-web/willow-web/internal/wrap"
)

// The wire format of the bridge. It is not a Willow encoding: it is the
// cheapest format both sides can read without a schema.
//
//	u8      one byte
//	uvarint unsigned LEB128 (lengths, counts, handles, enum values)
//	u64     8 bytes little-endian (timestamps, payload lengths: JS bigint)
//	bytes   uvarint length ‖ raw bytes
//	id      32 raw bytes (namespace and subspace ids, digests, secrets)
//	sig     64 raw bytes

// Writer appends wire values to a byte slice.
type Writer struct {
	Buf []byte
}

// U8 appends one byte.
func (w *Writer) U8(b byte) { w.Buf = append(w.Buf, b) }

// Bool appends 1 for true and 0 for false.
func (w *Writer) Bool(b bool) {
	if b {
		w.Buf = append(w.Buf, 1)
	} else {
		w.Buf = append(w.Buf, 0)
	}
}

// Uvarint appends n as unsigned LEB128.
func (w *Writer) Uvarint(n uint64) { w.Buf = binary.AppendUvarint(w.Buf, n) }

// U64 appends n as 8 little-endian bytes.
func (w *Writer) U64(n uint64) { w.Buf = binary.LittleEndian.AppendUint64(w.Buf, n) }

// Bytes appends a length-prefixed byte string.
func (w *Writer) Bytes(b []byte) {
	w.Uvarint(uint64(len(b)))
	w.Buf = append(w.Buf, b...)
}

// String appends a length-prefixed UTF-8 string.
func (w *Writer) String(s string) {
	w.Uvarint(uint64(len(s)))
	w.Buf = append(w.Buf, s...)
}

// Raw appends bytes without a length (fixed-size values).
func (w *Writer) Raw(b []byte) { w.Buf = append(w.Buf, b...) }

// Reader consumes wire values. The first failure sticks: later reads return
// zero values and Err reports the first problem, so handlers read all their
// arguments and check once.
type Reader struct {
	buf     []byte
	off     int
	err     error
	scratch [][]byte // reused by Path
}

// NewReader returns a reader over b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err is the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Done reports an error unless every byte was consumed and no read failed.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.buf) {
		r.fail("request", wrap.Num(len(r.buf)-r.off)+" unexpected trailing bytes")
	}
	return r.err
}

func (r *Reader) fail(field, detail string) {
	if r.err == nil {
		r.err = &Error{Code: CodeInvalidArgument, Message: "malformed bridge request: " + field + ": " + detail}
	}
}

// FailWith records an argument error (a value that is well-formed on the
// wire but not acceptable, such as an unknown enum value).
func (r *Reader) FailWith(code, message string) {
	if r.err == nil {
		r.err = &Error{Code: code, Message: message}
	}
}

func (r *Reader) take(n int, field string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.fail(field, "need "+wrap.Num(n)+" bytes, have "+wrap.Num(len(r.buf)-r.off))
		return nil
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}

// U8 reads one byte.
func (r *Reader) U8(field string) byte {
	b := r.take(1, field)
	if b == nil {
		return 0
	}
	return b[0]
}

// Bool reads a byte that must be 0 or 1.
func (r *Reader) Bool(field string) bool {
	b := r.U8(field)
	if b > 1 {
		r.fail(field, "boolean is neither 0 nor 1")
	}
	return b == 1
}

// Uvarint reads an unsigned LEB128 number.
func (r *Reader) Uvarint(field string) uint64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.buf[r.off:])
	if k <= 0 {
		r.fail(field, "bad varint")
		return 0
	}
	r.off += k
	return n
}

// Count reads a uvarint count of items each of which needs at least minSize
// bytes, refusing counts the remaining input cannot hold.
func (r *Reader) Count(field string, minSize int) int {
	n := r.Uvarint(field)
	if r.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if n > uint64((len(r.buf)-r.off)/minSize) {
		r.fail(field, "count "+wrap.Num(n)+" exceeds the request")
		return 0
	}
	return int(n)
}

// U64 reads 8 little-endian bytes.
func (r *Reader) U64(field string) uint64 {
	b := r.take(8, field)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// Bytes reads a length-prefixed byte string; the result aliases the input.
func (r *Reader) Bytes(field string) []byte {
	n := r.Uvarint(field)
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.buf)-r.off) {
		r.fail(field, "length "+wrap.Num(n)+" exceeds the request")
		return nil
	}
	b := r.take(int(n), field)
	if b == nil {
		return []byte{}
	}
	return b
}

// String reads a length-prefixed string.
func (r *Reader) String(field string) string { return string(r.Bytes(field)) }

// Array32 reads 32 raw bytes.
func (r *Reader) Array32(field string) (a [32]byte) {
	copy(a[:], r.take(32, field))
	return a
}

// Array64 reads 64 raw bytes.
func (r *Reader) Array64(field string) (a [64]byte) {
	copy(a[:], r.take(64, field))
	return a
}

// Remaining is the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

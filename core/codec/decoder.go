package codec

import "strconv"

// Mode selects which codes a Decoder accepts.
type Mode uint8

const (
	// Relation accepts every code of an encoding relation (any valid tag width).
	Relation Mode = iota
	// Canonic accepts only the code of the canonic encoding function.
	Canonic
)

// Decoder reads values from untrusted bytes. It never reads past its input and
// never panics; every failure is a *DecodeError carrying the offset.
type Decoder struct {
	buf  []byte
	off  int
	mode Mode
}

// NewDecoder returns a decoder over b in the given mode.
func NewDecoder(b []byte, mode Mode) *Decoder { return &Decoder{buf: b, mode: mode} }

// Canonic reports whether the decoder only accepts canonic codes.
func (d *Decoder) Canonic() bool { return d.mode == Canonic }

// Offset is the number of bytes consumed so far.
func (d *Decoder) Offset() int { return d.off }

// Remaining is the number of bytes not yet consumed.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

// Rest returns the unconsumed bytes (sharing memory with the input).
func (d *Decoder) Rest() []byte { return d.buf[d.off:] }

// Errorf builds a *DecodeError at the current offset.
func (d *Decoder) Errorf(kind error, field, detail string) error {
	return &DecodeError{Kind: kind, Offset: d.off, Field: field, Detail: detail}
}

// errorAt builds a *DecodeError at a given offset.
func (d *Decoder) errorAt(off int, kind error, field, detail string) error {
	return &DecodeError{Kind: kind, Offset: off, Field: field, Detail: detail}
}

// Byte consumes one byte.
func (d *Decoder) Byte(field string) (byte, error) {
	if d.off >= len(d.buf) {
		return 0, d.Errorf(ErrTruncated, field, "need 1 byte")
	}
	b := d.buf[d.off]
	d.off++
	return b, nil
}

// Bytes consumes n bytes and returns them without copying: callers that keep
// them must copy.
func (d *Decoder) Bytes(n int, field string) ([]byte, error) {
	if n < 0 || n > len(d.buf)-d.off {
		return nil, d.Errorf(ErrTruncated, field, "need "+strconv.Itoa(n)+" bytes, have "+strconv.Itoa(len(d.buf)-d.off))
	}
	b := d.buf[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

// Array32 consumes 32 bytes into an array (ids, digests, public keys).
func (d *Decoder) Array32(field string) ([32]byte, error) {
	var a [32]byte
	b, err := d.Bytes(32, field)
	if err != nil {
		return a, err
	}
	copy(a[:], b)
	return a, nil
}

// Array64 consumes 64 bytes into an array (signatures).
func (d *Decoder) Array64(field string) ([64]byte, error) {
	var a [64]byte
	b, err := d.Bytes(64, field)
	if err != nil {
		return a, err
	}
	copy(a[:], b)
	return a, nil
}

package drop

import (
	"errors"
	"io"
)

// input buffers a drop's bytes: headers are decoded from the buffer (reading
// more when a decoder reports truncation), payload streams are read through.
type input struct {
	src  io.Reader
	buf  []byte
	head int   // bytes of buf already consumed
	off  int64 // drop offset of buf[head]
	eof  bool
	err  error // a read error other than io.EOF
}

const readSize = 64 << 10

// buffered returns the unconsumed buffered bytes.
func (in *input) buffered() []byte { return in.buf[in.head:] }

// more reads at least one more byte into the buffer; false at the end of the
// input (or on a read error, kept in in.err).
func (in *input) more() bool {
	if in.eof || in.err != nil {
		return false
	}
	if in.head > 0 && in.head >= len(in.buf)/2 {
		n := copy(in.buf, in.buf[in.head:])
		in.buf, in.head = in.buf[:n], 0
	}
	if cap(in.buf)-len(in.buf) < readSize {
		grown := make([]byte, len(in.buf), 2*cap(in.buf)+readSize)
		copy(grown, in.buf)
		in.buf = grown
	}
	for {
		n, err := in.src.Read(in.buf[len(in.buf):cap(in.buf)])
		in.buf = in.buf[:len(in.buf)+n]
		if errors.Is(err, io.EOF) {
			in.eof = true
			return n > 0
		}
		if err != nil {
			in.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// fill makes at least n bytes available; false if the input ends first.
func (in *input) fill(n int) bool {
	for len(in.buf)-in.head < n {
		if !in.more() {
			return false
		}
	}
	return true
}

// consume drops n buffered bytes.
func (in *input) consume(n int) {
	in.head += n
	in.off += int64(n)
}

// Read implements io.Reader over the remaining input, buffer first.
func (in *input) Read(p []byte) (int, error) {
	if len(in.buf) == in.head {
		if len(p) >= readSize && !in.eof && in.err == nil {
			// Large reads bypass the buffer.
			in.buf, in.head = in.buf[:0], 0
			n, err := in.src.Read(p)
			in.off += int64(n)
			if errors.Is(err, io.EOF) {
				in.eof = true
				if n > 0 {
					err = nil
				}
			} else if err != nil {
				in.err = err
			}
			return n, err
		}
		if !in.more() {
			if in.err != nil {
				return 0, in.err
			}
			return 0, io.EOF
		}
	}
	n := copy(p, in.buf[in.head:])
	in.consume(n)
	return n, nil
}

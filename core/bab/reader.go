package bab

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/internal/wrap"
)

// A Reader reads a verifiable slice stream from an underlying reader and
// returns the verified bytes of the slice. It returns io.EOF only after the
// whole stream was read and verified; any problem is returned as an error
// wrapping a [*StreamError].
type Reader struct {
	src  io.Reader
	v    *Verifier
	in   [4 * ChunkSize]byte
	out  []byte
	head int
	err  error
}

// NewReader returns a Reader verifying the stream described by c, read from
// src. If c.OnChunk is set it is called for every chunk as well.
func NewReader(src io.Reader, c VerifierConfig) (*Reader, error) {
	r := &Reader{src: src}
	user := c.OnChunk
	c.OnChunk = func(i uint64, chunk []byte) error {
		if user != nil {
			if err := user(i, chunk); err != nil {
				return err
			}
		}
		r.out = append(r.out, chunk...)
		return nil
	}
	v, err := NewVerifier(c)
	if err != nil {
		return nil, err
	}
	r.v = v
	return r, nil
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	for r.head == len(r.out) && r.err == nil {
		r.out, r.head = r.out[:0], 0
		n, err := r.src.Read(r.in[:])
		if n > 0 {
			if _, werr := r.v.Write(r.in[:n]); werr != nil {
				r.err = werr
				break
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			if cerr := r.v.Close(); cerr != nil {
				r.err = cerr
			} else {
				r.err = io.EOF
			}
		case err != nil:
			r.err = wrap.Prefix("bab: reading stream", err)
		}
	}
	n := copy(p, r.out[r.head:])
	r.head += n
	if n > 0 {
		return n, nil
	}
	return 0, r.err
}

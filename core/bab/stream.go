package bab

import (
	"fmt"
	"io"
)

// source provides the labels and chunks a stream is made of.
type source interface {
	// label returns the label of the non-root vertex over chunks [lo, hi).
	label(lo, hi uint64) (Digest, error)
	// chunk returns chunk i; the result may alias buf.
	chunk(i uint64, buf []byte) ([]byte, error)
}

// bytesSource serves a payload held in memory.
type bytesSource struct {
	g    geometry
	data []byte
}

func (b bytesSource) label(lo, hi uint64) (Digest, error) {
	return subtreeLabel(b.data[lo*ChunkSize : lo*ChunkSize+b.g.bytes(lo, hi)]), nil
}

func (b bytesSource) chunk(i uint64, _ []byte) ([]byte, error) {
	off := i * ChunkSize
	return b.data[off : off+uint64(b.g.chunkLen(i))], nil
}

// subtreeLabel returns the label of a non-root vertex covering data. WILLIAM3
// labels do not depend on the position of a subtree in the string.
func subtreeLabel(data []byte) Digest {
	if len(data) <= ChunkSize {
		m := william3Mode()
		return m.hashChunk(data, 0, false)
	}
	var h Hasher
	h.reset(william3Mode())
	h.write(data)
	return h.digest(false)
}

// AppendSliceStream appends to dst the verifiable stream of slice s of
// payload under options o, and returns the extended buffer.
func AppendSliceStream(dst []byte, payload []byte, s Slice, o Options) ([]byte, error) {
	w := appendWriter{dst}
	if err := WriteSliceStream(&w, payload, s, o); err != nil {
		return dst, err
	}
	return w.b, nil
}

type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteSliceStream writes the verifiable stream of slice s of payload under
// options o to w. Labels are recomputed from the payload as needed, which
// costs O(n log n) hashing for a stream over n chunks.
func WriteSliceStream(w io.Writer, payload []byte, s Slice, o Options) error {
	g := newGeometry(uint64(len(payload)))
	return produce(w, g, bytesSource{g, payload}, s, o)
}

// produce writes the stream of slice s from src.
func produce(w io.Writer, g geometry, src source, s Slice, o Options) error {
	if err := s.check(g); err != nil {
		return err
	}
	p := producer{w: w, g: g, src: src, o: o, s: s.Start, e: s.end()}
	return p.node(0, g.chunks, 0)
}

type producer struct {
	w    io.Writer
	g    geometry
	src  source
	o    Options
	s, e uint64
	buf  [ChunkSize]byte
}

// node writes the contribution of the vertex over [lo, hi) and its
// descendants, in depth-first pre-order.
func (p *producer) node(lo, hi uint64, depth int) error {
	if hi-lo == 1 {
		c, err := p.src.chunk(lo, p.buf[:])
		if err != nil {
			return fmt.Errorf("bab: reading chunk %d: %w", lo, err)
		}
		if _, err := p.w.Write(c); err != nil {
			return fmt.Errorf("bab: writing chunk %d: %w", lo, err)
		}
		return nil
	}
	mid := split(lo, hi)
	pl := p.o.planFor(lo, hi, depth, p.s, p.e)
	kids := [2][2]uint64{{lo, mid}, {mid, hi}}
	for side, k := range kids {
		if !pl.send[side] {
			continue
		}
		l, err := p.src.label(k[0], k[1])
		if err != nil {
			return fmt.Errorf("bab: label of chunks [%d, %d): %w", k[0], k[1], err)
		}
		if _, err := p.w.Write(l[:]); err != nil {
			return fmt.Errorf("bab: writing label: %w", err)
		}
	}
	for _, k := range kids {
		if overlaps(k[0], k[1], p.s, p.e) {
			if err := p.node(k[0], k[1], depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

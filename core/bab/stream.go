package bab

import (
	"io"

	"github.com/willow-web/willow-web/internal/wrap"
)

// source provides the labels and chunks a stream is made of.
type source interface {
	// label returns the label of the non-root vertex over chunks [lo, hi).
	label(lo, hi uint64) (Digest, error)
	// chunk returns chunk i; the result may alias buf.
	chunk(i uint64, buf []byte) ([]byte, error)
}

// bytesSource serves a payload held in memory. The first label request
// computes the labels of all vertices in one pass (O(n) hashing, 64 bytes of
// memory per chunk).
type bytesSource struct {
	g      geometry
	data   []byte
	l      layout
	labels []Digest // by pre-order vertex index, computed on first use
}

func newBytesSource(data []byte) *bytesSource {
	g := newGeometry(uint64(len(data)))
	return &bytesSource{g: g, data: data, l: layout{g: g}}
}

func (b *bytesSource) label(lo, hi uint64) (Digest, error) {
	if b.labels == nil {
		if b.g.chunks > uint64(maxInt/128) {
			return Digest{}, wrap.Detail(ErrCapacity, "payload too large to label in memory")
		}
		b.labels = make([]Digest, 2*b.g.chunks-1)
		b.fill(0, b.g.chunks, 0)
	}
	return b.labels[b.l.vertexIndex(lo, hi)], nil
}

// fill computes the labels of the vertex over [lo, hi) with pre-order index
// idx and of all its descendants, and returns its chaining value.
func (b *bytesSource) fill(lo, hi, idx uint64) Digest {
	m := william3Mode()
	root := b.g.isRoot(lo, hi)
	if hi-lo == 1 {
		c, _ := b.chunk(lo, nil)
		b.labels[idx] = m.hashChunk(c, lo, root)
		return b.labels[idx]
	}
	mid := split(lo, hi)
	l := b.fill(lo, mid, idx+1)
	r := b.fill(mid, hi, idx+2*(mid-lo))
	b.labels[idx] = m.hashInner(&l, &r, b.g.bytes(lo, hi), root)
	return b.labels[idx]
}

func (b *bytesSource) chunk(i uint64, _ []byte) ([]byte, error) {
	off := i * ChunkSize
	return b.data[off : off+uint64(b.g.chunkLen(i))], nil
}

// maxInt is the largest int.
const maxInt = int(^uint(0) >> 1)

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

// Write appends p to the buffer.
func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// WriteSliceStream writes the verifiable stream of slice s of payload under
// options o to w. Labels are recomputed from the payload as needed, which
// hashes the whole payload once.
func WriteSliceStream(w io.Writer, payload []byte, s Slice, o Options) error {
	src := newBytesSource(payload)
	return produce(w, src.g, src, s, o)
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
			return wrap.Prefix("bab: reading chunk "+wrap.Num(lo), err)
		}
		if _, err := p.w.Write(c); err != nil {
			return wrap.Prefix("bab: writing chunk "+wrap.Num(lo), err)
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
			return wrap.Prefix("bab: label of chunks ["+wrap.Num(k[0])+", "+wrap.Num(k[1])+")", err)
		}
		if _, err := p.w.Write(l[:]); err != nil {
			return wrap.Prefix("bab: writing label", err)
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

package bab

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/internal/wrap"
)

// A Storage holds a possibly partial payload of known digest and length in a
// [Backend], together with the labels of its Merkle tree. It is filled from
// verifiable slice streams in any order, each checked against the digest
// as it is written, and it serves slice streams of the chunks it holds.
//
// Invariant: a chunk or label counts as stored only when its bit in the
// "chunk present" or "known label" bitmap is set, a bit is set only after
// the data in its slot has been verified against the digest, bits are never
// cleared, and a slot whose bit is set is never written again. Unverified
// data (from a K-grouped stream still being verified, see
// [Storage.ReceiveSlice]) only ever goes to slots whose bit is clear, so a
// failed stream leaves unmarked garbage at most: every chunk and label the
// bitmaps claim stays correct, and nothing stored before changes.
//
// A Storage keeps no state in memory besides the layout; it may be reopened
// over the same Backend with [OpenStorage] at any time. It is not safe for
// concurrent use.
type Storage struct {
	b      Backend
	l      layout
	digest Digest
}

// OpenStorage returns the Storage for the payload with the given digest and
// length kept in b, which must hold at least [LayoutSize](length) bytes. A
// new payload starts from a zero-filled Backend.
func OpenStorage(b Backend, digest Digest, length uint64) (*Storage, error) {
	l, err := newLayout(length)
	if err != nil {
		return nil, err
	}
	size, err := b.Size()
	if err != nil {
		return nil, wrap.Prefix("bab: storage backend size", err)
	}
	if size < l.size {
		return nil, wrap.Detail(ErrCapacity, wrap.Num(size)+" bytes, payload of "+wrap.Num(length)+" bytes needs "+wrap.Num(l.size))
	}
	return &Storage{b: b, l: l, digest: digest}, nil
}

// Digest returns the digest of the payload.
func (s *Storage) Digest() Digest { return s.digest }

// Length returns the length of the payload in bytes.
func (s *Storage) Length() uint64 { return s.l.g.length }

// ChunkCount returns the number of chunks of the payload.
func (s *Storage) ChunkCount() uint64 { return s.l.g.chunks }

// bit reads bit i of the bitmap at base.
func (s *Storage) bit(base int64, i uint64) (bool, error) {
	var b [1]byte
	if _, err := s.b.ReadAt(b[:], base+int64(i/8)); err != nil {
		return false, wrap.Prefix("bab: storage: reading bitmap", err)
	}
	return b[0]&(1<<(i%8)) != 0, nil
}

// setBit sets bit i of the bitmap at base.
func (s *Storage) setBit(base int64, i uint64) error {
	var b [1]byte
	off := base + int64(i/8)
	if _, err := s.b.ReadAt(b[:], off); err != nil {
		return wrap.Prefix("bab: storage: reading bitmap", err)
	}
	if b[0]&(1<<(i%8)) != 0 {
		return nil
	}
	b[0] |= 1 << (i % 8)
	if _, err := s.b.WriteAt(b[:], off); err != nil {
		return wrap.Prefix("bab: storage: writing bitmap", err)
	}
	return nil
}

// HasChunk tells whether chunk i is stored (and so verified).
func (s *Storage) HasChunk(i uint64) (bool, error) {
	if i >= s.l.g.chunks {
		return false, wrap.Detail(ErrInvalidSlice, "chunk "+wrap.Num(i)+" of "+wrap.Num(s.l.g.chunks))
	}
	return s.bit(s.l.chunks, i)
}

// Slices returns the maximal runs of stored chunks, in order.
func (s *Storage) Slices() ([]Slice, error) {
	bm := make([]byte, (s.l.g.chunks+7)/8)
	if _, err := s.b.ReadAt(bm, s.l.chunks); err != nil {
		return nil, wrap.Prefix("bab: storage: reading bitmap", err)
	}
	var out []Slice
	for i := uint64(0); i < s.l.g.chunks; i++ {
		if bm[i/8]&(1<<(i%8)) == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].end() == i {
			out[n-1].Count++
		} else {
			out = append(out, Slice{i, 1})
		}
	}
	return out, nil
}

// Complete tells whether every chunk is stored.
func (s *Storage) Complete() (bool, error) {
	ss, err := s.Slices()
	if err != nil {
		return false, err
	}
	return len(ss) == 1 && ss[0] == FullSlice(s.l.g.length), nil
}

// ReadChunk returns chunk i, appended to buf[:0]. It fails with
// ErrMissingData if the chunk is not stored.
func (s *Storage) ReadChunk(i uint64, buf []byte) ([]byte, error) {
	ok, err := s.HasChunk(i)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, wrap.Detail(ErrMissingData, "chunk "+wrap.Num(i))
	}
	n := s.l.g.chunkLen(i)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := s.b.ReadAt(buf, int64(i)*ChunkSize); err != nil {
		return nil, wrap.Prefix("bab: storage: reading chunk "+wrap.Num(i), err)
	}
	return buf, nil
}

// storeLabel writes a verified label for the vertex over [lo, hi).
func (s *Storage) storeLabel(lo, hi uint64, d *Digest) error {
	idx := s.l.vertexIndex(lo, hi)
	if _, err := s.b.WriteAt(d[:], s.l.labels+int64(idx)*DigestSize); err != nil {
		return wrap.Prefix("bab: storage: writing label", err)
	}
	return s.setBit(s.l.known, idx)
}

// label returns the label of the non-root vertex over [lo, hi): the stored
// one, or one recomputed (and then stored) from its chunks if all of them
// are present.
func (s *Storage) label(lo, hi uint64) (Digest, error) {
	var d Digest
	idx := s.l.vertexIndex(lo, hi)
	known, err := s.bit(s.l.known, idx)
	if err != nil {
		return d, err
	}
	if known {
		if _, err := s.b.ReadAt(d[:], s.l.labels+int64(idx)*DigestSize); err != nil {
			return d, wrap.Prefix("bab: storage: reading label", err)
		}
		return d, nil
	}
	h := Hasher{}
	h.reset(william3Mode())
	// Chunks are read into buf and handed to the Hasher a batch at a time,
	// so that it compresses them with compress.Chunks (it only does so for
	// whole chunks followed by more input within one write).
	buf := make([]byte, 0, min(hi-lo, chunkBatch+1)*ChunkSize)
	for i := lo; i < hi; i++ {
		if len(buf) == cap(buf) {
			h.write(buf)
			buf = buf[:0]
		}
		c, err := s.ReadChunk(i, buf[len(buf):])
		if err != nil {
			return d, wrap.Prefix("label of chunks ["+wrap.Num(lo)+", "+wrap.Num(hi)+")", err)
		}
		buf = buf[:len(buf)+len(c)]
	}
	h.write(buf)
	d = h.digest(s.l.g.isRoot(lo, hi))
	return d, s.storeLabel(lo, hi, &d)
}

// chunk implements source.
func (s *Storage) chunk(i uint64, buf []byte) ([]byte, error) { return s.ReadChunk(i, buf[:0]) }

// ChildLabels implements [KnownLabels] from the stored labels, so that
// streams received into the Storage may skip vertices it knows.
func (s *Storage) ChildLabels(lo, hi uint64) (left, right Digest, err error) {
	mid := split(lo, hi)
	if left, err = s.label(lo, mid); err != nil {
		return
	}
	right, err = s.label(mid, hi)
	return
}

// WriteSliceStream writes the verifiable stream of slice sl under options o
// to w. Every chunk of the slice must be stored, as well as the labels (or
// chunks) of the vertices the stream names; otherwise it fails with
// ErrMissingData, possibly after writing part of the stream.
func (s *Storage) WriteSliceStream(w io.Writer, sl Slice, o Options) error {
	return produce(w, s.l.g, s, sl, o)
}

// ReceiveSlice returns a writer that verifies the stream of slice sl under
// options o and stores its chunks and labels. Labels for skipped vertices
// come from the Storage. Close it to check that the stream was complete;
// whatever was verified before an error stays stored.
//
// The Verifier runs in deferred mode, so a K-grouped stream of any size is
// received in O(log n) memory: chunks and labels that cannot be verified
// yet are written straight into their (unmarked) slots, and their bitmap
// bits are set once the Verifier confirms them. Chunks already present are
// never rewritten (the stream's copy is still hashed, so a differing copy
// fails the stream), nor are known labels. A stream that fails, or is
// abandoned, leaves the Storage's verified state exactly as it was plus the
// ranges it verified before failing; what it wrote beyond that lies in
// unmarked slots only, where a later stream overwrites it.
//
// While a stream received by one Verifier is unfinished, do not receive
// another stream into the same Storage (through ReceiveSlice, IngestSlice
// or a second Storage on the same Backend): its confirmations could mark
// bytes the other one wrote.
func (s *Storage) ReceiveSlice(sl Slice, o Options) (*Verifier, error) {
	r := &receiver{s: s, sl: sl}
	return NewVerifier(VerifierConfig{
		Digest: s.digest, Length: s.l.g.length, Slice: sl, Options: o, Known: s,
		OnChunk:         r.chunk,
		OnVertex:        r.vertex,
		OnPending:       r.pendingChunk,
		OnPendingVertex: r.pendingVertex,
		OnVerified:      r.verified,
	})
}

// receiver stores what a deferred-mode Verifier reports. Its scratch buffer
// keeps bitmap accesses free of allocations.
type receiver struct {
	s       *Storage
	sl      Slice
	scratch [256]byte
}

// has reads bit i of the bitmap at base.
func (r *receiver) has(base int64, i uint64) (bool, error) {
	b := r.scratch[:1]
	if _, err := r.s.b.ReadAt(b, base+int64(i/8)); err != nil {
		return false, wrap.Prefix("bab: storage: reading bitmap", err)
	}
	return b[0]&(1<<(i%8)) != 0, nil
}

// setBits sets bits [from, to) of the bitmap at base.
func (r *receiver) setBits(base int64, from, to uint64) error {
	for from < to {
		first := from / 8
		n := min((to+7)/8-first, uint64(len(r.scratch)))
		b := r.scratch[:n]
		off := base + int64(first)
		if _, err := r.s.b.ReadAt(b, off); err != nil {
			return wrap.Prefix("bab: storage: reading bitmap", err)
		}
		for i := range b {
			for bit := uint64(0); bit < 8; bit++ {
				if j := (first+uint64(i))*8 + bit; from <= j && j < to {
					b[i] |= 1 << bit
				}
			}
		}
		if _, err := r.s.b.WriteAt(b, off); err != nil {
			return wrap.Prefix("bab: storage: writing bitmap", err)
		}
		from = (first + n) * 8
	}
	return nil
}

// writeChunk writes chunk i unless it is present already.
func (r *receiver) writeChunk(i uint64, c []byte) (bool, error) {
	if ok, err := r.has(r.s.l.chunks, i); err != nil || ok {
		return false, err
	}
	if _, err := r.s.b.WriteAt(c, int64(i)*ChunkSize); err != nil {
		return false, wrap.Prefix("bab: storage: writing chunk "+wrap.Num(i), err)
	}
	return true, nil
}

// writeLabels writes the child labels of the vertex over [lo, hi) into the
// slots that are not known already, and marks them known if mark is set.
// The labels go through the scratch buffer, so that they do not escape.
func (r *receiver) writeLabels(lo, hi uint64, labels [2]Digest, mark bool) error {
	mid := split(lo, hi)
	for side, k := range [2][2]uint64{{lo, mid}, {mid, hi}} {
		idx := r.s.l.vertexIndex(k[0], k[1])
		known, err := r.has(r.s.l.known, idx)
		if err != nil {
			return err
		}
		if known {
			continue
		}
		b := r.scratch[:DigestSize]
		copy(b, labels[side][:])
		if _, err := r.s.b.WriteAt(b, r.s.l.labels+int64(idx)*DigestSize); err != nil {
			return wrap.Prefix("bab: storage: writing label", err)
		}
		if mark {
			if err := r.setBits(r.s.l.known, idx, idx+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunk stores a chunk verified on arrival.
func (r *receiver) chunk(i uint64, c []byte) error {
	if wrote, err := r.writeChunk(i, c); err != nil || !wrote {
		return err
	}
	return r.setBits(r.s.l.chunks, i, i+1)
}

// vertex stores verified child labels.
func (r *receiver) vertex(lo, hi uint64, left, right Digest) error {
	return r.writeLabels(lo, hi, [2]Digest{left, right}, true)
}

// pendingChunk writes an unverified chunk into its slot, unmarked.
func (r *receiver) pendingChunk(i uint64, c []byte) error {
	_, err := r.writeChunk(i, c)
	return err
}

// pendingVertex writes unverified child labels into their slots, unmarked.
func (r *receiver) pendingVertex(lo, hi uint64, left, right Digest) error {
	return r.writeLabels(lo, hi, [2]Digest{left, right}, false)
}

// verified marks the chunks [start, end) present and the labels the stream
// wrote for them known.
func (r *receiver) verified(start, end uint64) error {
	if err := r.markLabels(0, r.s.l.g.chunks, 0, start, end); err != nil {
		return err
	}
	return r.setBits(r.s.l.chunks, start, end)
}

// markLabels marks known the child labels of every inner vertex in the
// subtree over [lo, hi) (pre-order index idx) whose chunks within the slice
// all lie in [start, end): the Verifier confirmed exactly those vertices (or
// reported them verified, or they were skipped and their labels are known
// already), so the stream wrote both their child labels, or found them
// known. A subtree wholly inside [start, end) has all its labels below its
// root written: they form one run of pre-order indices.
func (r *receiver) markLabels(lo, hi, idx, start, end uint64) error {
	if hi-lo <= 1 || !overlaps(lo, hi, start, end) {
		return nil
	}
	if start <= lo && hi <= end {
		return r.setBits(r.s.l.known, idx+1, idx+2*(hi-lo)-1)
	}
	mid := split(lo, hi)
	left, right := idx+1, idx+2*(mid-lo)
	if max(lo, r.sl.Start) >= start && min(hi, r.sl.end()) <= end {
		if err := r.setBits(r.s.l.known, left, left+1); err != nil {
			return err
		}
		if err := r.setBits(r.s.l.known, right, right+1); err != nil {
			return err
		}
	}
	if err := r.markLabels(lo, mid, left, start, end); err != nil {
		return err
	}
	return r.markLabels(mid, hi, right, start, end)
}

// IngestSlice reads the verifiable stream of slice sl under options o from r
// and stores it, as ReceiveSlice does.
func (s *Storage) IngestSlice(r io.Reader, sl Slice, o Options) error {
	v, err := s.ReceiveSlice(sl, o)
	if err != nil {
		return err
	}
	var buf [8 * ChunkSize]byte
	for {
		n, rerr := r.Read(buf[:])
		if n > 0 {
			if _, err := v.Write(buf[:n]); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			return v.Close()
		}
		if rerr != nil {
			return wrap.Prefix("bab: reading slice stream", rerr)
		}
	}
}

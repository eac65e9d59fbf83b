package bab

import (
	"errors"

	"github.com/willow-web/willow-web/internal/wrap"
)

// KnownLabels supplies what a receiver already knows about the tree: the
// child labels of the vertices a stream skips (Options.LeftSkip and
// RightSkip). A [Verifier] checks whatever it is given against the digest,
// so an inconsistent answer is an error, never a false acceptance.
type KnownLabels interface {
	// ChildLabels returns the labels of the left and right child of the
	// inner vertex over chunks [start, end).
	ChildLabels(start, end uint64) (left, right Digest, err error)
}

// VerifierConfig describes the stream a [Verifier] checks and where its
// results go.
type VerifierConfig struct {
	// Digest and Length are the digest and byte length of the whole string.
	Digest Digest
	Length uint64
	// Slice and Options select the stream.
	Slice   Slice
	Options Options
	// Known answers for skipped vertices; required when Options skip any.
	Known KnownLabels
	// OnChunk receives every chunk of the slice, in order, once it is
	// verified. chunk is only valid during the call. An error stops the
	// verification and is returned. In deferred mode (OnPending set) it
	// receives only the chunks verified on arrival.
	OnChunk func(index uint64, chunk []byte) error
	// OnVertex, if set, receives the child labels of every inner vertex
	// over chunks [start, end) whose labels became verified. Storing them
	// lets a later stream skip those vertices. In deferred mode it receives
	// only the vertices verified while on the path from the root to the
	// current item (which include every vertex on the root paths of the
	// slice's first and last chunks); the others go to OnPendingVertex.
	OnVertex func(start, end uint64, left, right Digest) error

	// OnPending selects the deferred mode when set. A chunk that cannot be
	// verified on arrival (inside a group of a K-grouped stream, whose
	// labels the stream omits) is then handed to OnPending at once,
	// UNVERIFIED, instead of being buffered until it is; OnVerified later
	// confirms it, or the Verifier fails. Every chunk of the slice goes, in
	// order, either to OnChunk (verified on arrival) or to OnPending. chunk
	// is only valid during the call. In deferred mode the Verifier buffers
	// no chunk and holds O(log n) memory for any stream.
	OnPending func(index uint64, chunk []byte) error
	// OnPendingVertex, in deferred mode, receives the child labels of an
	// inner vertex over chunks [start, end) that were computed from pending
	// chunks (or transmitted below an unverified vertex), UNVERIFIED. The
	// vertex is confirmed by the OnVerified call whose range contains the
	// vertex's chunks within the slice. It is called before that
	// OnVerified, and at most once per vertex; vertices not passed here are
	// passed to OnVertex (or are skipped ones). May be nil.
	OnPendingVertex func(start, end uint64, left, right Digest) error
	// OnVerified, in deferred mode, reports that the chunks [start, end),
	// all previously passed to OnPending, are verified, together with every
	// vertex passed to OnPendingVertex whose chunks within the slice lie in
	// [start, end). The ranges are disjoint and increasing, and together
	// they cover exactly the chunks passed to OnPending once the stream is
	// verified completely (Close returned nil). After a failure, pending
	// chunks and vertices not yet confirmed never will be. May be nil.
	OnVerified func(start, end uint64) error
}

// deferred tells whether c selects the deferred mode.
func (c *VerifierConfig) deferred() bool { return c.OnPending != nil }

// maxUint64 is the largest uint64.
const maxUint64 = ^uint64(0)

// Item kinds a Verifier waits for.
const (
	wantDone = iota
	wantLabel
	wantChunk
)

// Traversal phases of a stack frame.
const (
	phaseLeftLabel = iota
	phaseRightLabel
	phaseCheck
	phaseLeftChild
	phaseRightChild
	phaseDone
)

// frame is an inner vertex on the path from the root to the current item.
type frame struct {
	lo, mid, hi uint64
	depth       int
	side        int // 0 if this is its parent's left child, 1 if right
	exp         Digest
	hasExp      bool // exp is the label the vertex must have
	slot        [2]Digest
	have        [2]bool // slot holds a transmitted, known or recomputed label
	send        [2]bool
	phase       int
	checked     bool // slots hashed and compared with exp or passed to parent
	skipped     bool // slots came from KnownLabels
}

// A Verifier checks a verifiable slice stream incrementally. Write the
// stream to it in pieces of any size, then call Close. Each chunk is handed
// to OnChunk as soon as it is verified against the digest, and never before.
// The first inconsistency (wrong label, wrong chunk, short or overlong
// stream) fails the Verifier with a [*StreamError]; later calls return the
// same error.
//
// In a K-grouped stream no chunk of a group can be verified before the
// whole group has arrived and been hashed up to a vertex whose label is
// known. By default the Verifier buffers such chunks. In deferred mode
// ([VerifierConfig].OnPending set) it hands them out at once as unverified,
// hashes them into the labels of their subtrees as they arrive (one
// chaining value per tree level), and reports with OnVerified when a range
// of them has been verified, or fails at the first inconsistency.
//
// Memory: the Verifier holds one label per tree level (O(log n)) and, unless
// in deferred mode, the chunks it cannot verify yet: one chunk for baseline
// and light streams, up to 2^K chunks (at most the slice) for K-grouped ones,
// plus, if OnVertex is set, the labels of up to 2^K vertices. In deferred
// mode it holds O(log n) whatever the stream.
type Verifier struct {
	cfg  VerifierConfig
	g    geometry
	m    mode
	s, e uint64

	stack [maxStack + 2]frame
	n     int // frames in use
	nv    int // stack[:nv] are verified: their slots are authentic

	want      int
	wantStart int64 // stream offset of the current item
	label     [DigestSize]byte
	labelN    int

	pending   []byte // received, unreleased chunk bytes (last one may be partial)
	pendHead  int    // bytes of pending already released
	pendFirst uint64 // index of the chunk at pending[pendHead]; deferred: first unconfirmed chunk
	received  uint64 // index of the chunk being received
	gotLen    int    // bytes of chunk received so far
	part      []byte // deferred mode: the chunk being received, if split across writes

	// popped holds vertices that left the path before they were verified
	// (only K-grouped streams have them, and only if OnVertex is set);
	// they become verified in order.
	popped     []vertexLabels
	poppedHead int

	off int64
	err error
}

// vertexLabels is an inner vertex with its child labels.
type vertexLabels struct {
	lo, hi uint64
	slot   [2]Digest
}

// NewVerifier returns a Verifier for the stream described by c.
func NewVerifier(c VerifierConfig) (*Verifier, error) {
	g := newGeometry(c.Length)
	if err := c.Slice.check(g); err != nil {
		return nil, err
	}
	if (c.Options.LeftSkip > 0 || c.Options.RightSkip > 0) && c.Known == nil {
		return nil, wrap.Detail(ErrKnownLabels, "options skip vertices but no KnownLabels given")
	}
	v := &Verifier{cfg: c, g: g, m: william3Mode(), s: c.Slice.Start, e: c.Slice.end()}
	v.received, v.pendFirst = v.s, v.s
	if c.deferred() {
		v.part = make([]byte, 0, ChunkSize)
	}
	if g.chunks == 1 {
		v.want = wantChunk
		return v, nil
	}
	v.stack[0] = frame{lo: 0, hi: g.chunks, exp: c.Digest, hasExp: true}
	v.n = 1
	if err := v.enter(&v.stack[0]); err != nil {
		return nil, err
	}
	if err := v.advance(); err != nil {
		return nil, err
	}
	return v, nil
}

// Offset returns the number of stream bytes consumed so far.
func (v *Verifier) Offset() int64 { return v.off }

// Done tells whether the whole stream has been received and verified.
func (v *Verifier) Done() bool { return v.err == nil && v.want == wantDone }

// Write consumes the next piece of the stream. It returns the number of
// bytes consumed and the first error found; all bytes up to the failure
// count as consumed.
func (v *Verifier) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		if v.err != nil {
			return total - len(p), v.err
		}
		switch v.want {
		case wantDone:
			v.fail(ErrStreamTooLong, v.off, 0, v.g.chunks, "trailing byte")
			return total - len(p), v.err
		case wantLabel:
			n := copy(v.label[v.labelN:], p)
			v.labelN += n
			v.off += int64(n)
			p = p[n:]
			if v.labelN == DigestSize {
				v.gotLabel()
			}
		case wantChunk:
			need := v.g.chunkLen(v.received) - v.gotLen
			n := min(need, len(p))
			var data []byte
			switch {
			case !v.cfg.deferred():
				v.pending = append(v.pending, p[:n]...)
				data = v.pending[len(v.pending)-v.gotLen-n:]
			case v.gotLen == 0 && n == need:
				data = p[:n] // a whole chunk in p: no copy
			default:
				v.part = append(v.part, p[:n]...)
				data = v.part
			}
			v.gotLen += n
			v.off += int64(n)
			p = p[n:]
			if n == need {
				v.gotChunk(data)
			}
		}
	}
	v.emptyChunk()
	return total, v.err
}

// emptyChunk receives the only chunk of the empty string, which needs no
// bytes, if it is due.
func (v *Verifier) emptyChunk() {
	if v.err == nil && v.want == wantChunk && v.g.chunkLen(v.received) == 0 {
		v.gotChunk(v.part[:0])
	}
}

// Close reports whether the stream was complete and valid. It returns an
// error wrapping ErrStreamTooShort if more input was expected.
func (v *Verifier) Close() error {
	v.emptyChunk()
	if v.err != nil {
		return v.err
	}
	switch v.want {
	case wantLabel:
		f := &v.stack[v.n-1]
		v.fail(ErrStreamTooShort, v.wantStart, f.lo, f.hi, "end of stream inside a label ("+wrap.Num(v.labelN)+" of "+wrap.Num(DigestSize)+" bytes)")
	case wantChunk:
		v.fail(ErrStreamTooShort, v.wantStart, v.received, v.received+1, "end of stream inside chunk "+wrap.Num(v.received)+" ("+wrap.Num(v.gotLen)+" of "+wrap.Num(v.g.chunkLen(v.received))+" bytes)")
	}
	return v.err
}

// fail records the first error.
func (v *Verifier) fail(err error, off int64, lo, hi uint64, what string) {
	if v.err == nil {
		v.err = &StreamError{Err: err, Offset: off, Start: lo, End: hi, What: what}
	}
}

// enter prepares a freshly pushed frame.
func (v *Verifier) enter(f *frame) error {
	f.mid = split(f.lo, f.hi)
	pl := v.cfg.Options.planFor(f.lo, f.hi, f.depth, v.s, v.e)
	f.send = pl.send
	if pl.skipped {
		l, r, err := v.cfg.Known.ChildLabels(f.lo, f.hi)
		if err != nil {
			v.fail(wrap.Both(ErrKnownLabels, err), v.off, f.lo, f.hi, "skipped vertex")
			return v.err
		}
		f.slot = [2]Digest{l, r}
		f.have = [2]bool{true, true}
		f.skipped = true
	}
	return nil
}

// gotLabel stores a complete label in the current frame.
func (v *Verifier) gotLabel() {
	f := &v.stack[v.n-1]
	side := 0
	if f.phase == phaseCheck {
		side = 1
	}
	f.slot[side] = v.label
	f.have[side] = true
	v.labelN = 0
	v.next()
}

// next advances to the next item and releases what became verified.
func (v *Verifier) next() {
	if err := v.advance(); err != nil {
		v.failWith(err)
		return
	}
	if err := v.release(); err != nil {
		v.failWith(err)
	}
}

// gotChunk verifies or records a complete chunk, data.
func (v *Verifier) gotChunk(data []byte) {
	idx := v.received
	start := v.off - int64(v.gotLen)
	lbl := v.m.hashChunk(data, idx, v.g.chunks == 1)
	v.gotLen = 0
	v.part = v.part[:0]
	if v.n == 0 {
		v.received++
		if lbl != v.cfg.Digest {
			v.fail(ErrChunkMismatch, start, idx, idx+1, "chunk (whole string)")
			return
		}
		v.want = wantDone
		if v.cfg.deferred() {
			v.deliver(idx, data, start)
			return
		}
		v.release()
		return
	}
	f := &v.stack[v.n-1]
	side := 0
	if idx >= f.mid {
		side = 1
	}
	if f.have[side] && f.slot[side] != lbl {
		v.fail(ErrChunkMismatch, start, idx, idx+1, "chunk "+wrap.Num(idx))
		return
	}
	if v.cfg.deferred() {
		if f.have[side] && v.nv == v.n {
			// Compared with an authentic label: verified on arrival.
			if !v.deliver(idx, data, start) {
				return
			}
		} else if err := v.cfg.OnPending(idx, data); err != nil {
			v.fail(err, start, idx, idx+1, "pending chunk callback")
			return
		}
	}
	v.received++
	if !f.have[side] {
		f.slot[side] = lbl
		f.have[side] = true
		if err := v.check(v.n-1, start); err != nil {
			return
		}
	}
	v.next()
}

// deliver hands chunk idx, verified on arrival, to OnChunk in deferred mode.
// Every earlier chunk is confirmed by then.
func (v *Verifier) deliver(idx uint64, data []byte, start int64) bool {
	if v.pendFirst != idx {
		v.fail(wrap.New("bab: internal error: chunk "+wrap.Num(idx)+" verified before pending chunk "+wrap.Num(v.pendFirst)), start, idx, idx+1, "chunk")
		return false
	}
	if v.cfg.OnChunk != nil {
		if err := v.cfg.OnChunk(idx, data); err != nil {
			v.fail(err, start, idx, idx+1, "chunk callback")
			return false
		}
	}
	v.pendFirst = idx + 1
	return true
}

func (v *Verifier) failWith(err error) {
	var se *StreamError
	if errors.As(err, &se) {
		if v.err == nil {
			v.err = err
		}
		return
	}
	v.fail(err, v.off, 0, 0, "callback")
}

// check hashes every frame from i upwards whose two slots are known, compares
// with the expected label or passes the result to the parent, and releases
// newly verified data.
func (v *Verifier) check(i int, itemStart int64) error {
	for ; i >= 0; i-- {
		f := &v.stack[i]
		if f.checked || !f.have[0] || !f.have[1] {
			break
		}
		h := v.m.hashInner(&f.slot[0], &f.slot[1], v.g.bytes(f.lo, f.hi), v.g.isRoot(f.lo, f.hi))
		f.checked = true
		if f.hasExp {
			if h != f.exp {
				switch {
				case f.skipped:
					v.fail(ErrKnownLabels, itemStart, f.lo, f.hi, "known labels of a skipped vertex")
				case v.want == wantChunk:
					v.fail(ErrLabelMismatch, itemStart, f.lo, f.hi, "chunk")
				default:
					v.fail(ErrLabelMismatch, itemStart, f.lo, f.hi, "label")
				}
				return v.err
			}
			break
		}
		if i == 0 {
			break // unreachable: the root always has the digest
		}
		p := &v.stack[i-1]
		p.slot[f.side] = h
		p.have[f.side] = true
	}
	for v.nv < v.n && v.stack[v.nv].checked {
		f := &v.stack[v.nv]
		if v.cfg.OnVertex != nil {
			if err := v.cfg.OnVertex(f.lo, f.hi, f.slot[0], f.slot[1]); err != nil {
				v.fail(err, itemStart, f.lo, f.hi, "vertex callback")
				return v.err
			}
		}
		v.nv++
	}
	return v.release()
}

// release hands verified chunks to OnChunk, or in deferred mode confirms
// them with OnVerified.
func (v *Verifier) release() error {
	limit := uint64(maxUint64)
	if v.nv < v.n {
		limit = v.stack[v.nv].lo
	}
	if v.cfg.deferred() {
		end := min(limit, v.received)
		if v.pendFirst < end {
			if v.cfg.OnVerified != nil {
				if err := v.cfg.OnVerified(v.pendFirst, end); err != nil {
					v.fail(err, v.off, v.pendFirst, end, "verified range callback")
					return v.err
				}
			}
			v.pendFirst = end
		}
		return nil
	}
	for v.poppedHead < len(v.popped) && v.popped[v.poppedHead].lo < limit {
		u := &v.popped[v.poppedHead]
		if err := v.cfg.OnVertex(u.lo, u.hi, u.slot[0], u.slot[1]); err != nil {
			v.fail(err, v.off, u.lo, u.hi, "vertex callback")
			return v.err
		}
		v.poppedHead++
	}
	if v.poppedHead == len(v.popped) {
		v.popped, v.poppedHead = v.popped[:0], 0
	}
	for v.pendFirst < min(limit, v.received) {
		n := v.g.chunkLen(v.pendFirst)
		if v.cfg.OnChunk != nil {
			if err := v.cfg.OnChunk(v.pendFirst, v.pending[v.pendHead:v.pendHead+n]); err != nil {
				v.fail(err, v.off, v.pendFirst, v.pendFirst+1, "chunk callback")
				return v.err
			}
		}
		v.pendHead += n
		v.pendFirst++
	}
	if v.pendHead == len(v.pending) {
		v.pending, v.pendHead = v.pending[:0], 0
	} else if v.pendHead >= ChunkSize && v.pendHead >= len(v.pending)/2 {
		k := copy(v.pending, v.pending[v.pendHead:])
		v.pending, v.pendHead = v.pending[:k], 0
	}
	return nil
}

// advance moves the traversal to the next item the stream must contain.
func (v *Verifier) advance() error {
	for v.n > 0 {
		f := &v.stack[v.n-1]
		switch f.phase {
		case phaseLeftLabel:
			f.phase = phaseRightLabel
			if f.send[0] {
				v.want, v.wantStart = wantLabel, v.off
				return nil
			}
		case phaseRightLabel:
			f.phase = phaseCheck
			if f.send[1] {
				v.want, v.wantStart = wantLabel, v.off
				return nil
			}
		case phaseCheck:
			f.phase = phaseLeftChild
			if err := v.check(v.n-1, v.wantStart); err != nil {
				return err
			}
		case phaseLeftChild, phaseRightChild:
			side, lo, hi := 0, f.lo, f.mid
			if f.phase == phaseRightChild {
				side, lo, hi = 1, f.mid, f.hi
			}
			f.phase++
			if !overlaps(lo, hi, v.s, v.e) {
				continue
			}
			if hi-lo == 1 {
				v.want, v.wantStart = wantChunk, v.off
				return nil
			}
			if v.n == len(v.stack) {
				return errors.New("bab: tree deeper than supported")
			}
			c := &v.stack[v.n]
			*c = frame{lo: lo, hi: hi, depth: f.depth + 1, side: side, exp: f.slot[side], hasExp: f.have[side]}
			v.n++
			if err := v.enter(c); err != nil {
				return err
			}
		case phaseDone:
			if !f.checked {
				return wrap.New("bab: internal error: vertex [" + wrap.Num(f.lo) + ", " + wrap.Num(f.hi) + ") left unchecked")
			}
			if v.nv < v.n {
				// Not verified yet: its labels are pending.
				switch {
				case v.cfg.deferred():
					if v.cfg.OnPendingVertex != nil {
						if err := v.cfg.OnPendingVertex(f.lo, f.hi, f.slot[0], f.slot[1]); err != nil {
							v.fail(err, v.off, f.lo, f.hi, "pending vertex callback")
							return v.err
						}
					}
				case v.cfg.OnVertex != nil:
					v.popped = append(v.popped, vertexLabels{f.lo, f.hi, f.slot})
				}
			}
			v.n--
			if v.nv > v.n {
				v.nv = v.n
			}
		}
	}
	v.want = wantDone
	return v.release()
}

package bab

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// sources caches a labelled bytesSource per payload, so that checking many
// streams of one payload labels it once.
var sources struct {
	sync.Mutex
	m map[*byte]*bytesSource
}

func sourceOf(payload []byte) *bytesSource {
	if len(payload) == 0 {
		return newBytesSource(payload)
	}
	sources.Lock()
	defer sources.Unlock()
	if sources.m == nil {
		sources.m = map[*byte]*bytesSource{}
	}
	key := &payload[0]
	if s, ok := sources.m[key]; ok && len(s.data) == len(payload) {
		return s
	}
	s := newBytesSource(payload)
	s.label(0, 1) // label it now, under the lock
	if len(sources.m) > 64 {
		clear(sources.m)
	}
	sources.m[key] = s
	return s
}

// deferredCheck verifies a stream in deferred mode and checks the protocol
// the callbacks follow: every chunk of the slice delivered once, in order,
// to OnChunk or OnPending; OnChunk only once all earlier chunks are
// confirmed, and only with correct bytes; OnVerified ranges consecutive and
// covering pending chunks only; whatever is confirmed (chunks and the
// vertices of OnVertex and confirmed OnPendingVertex calls) correct; each
// vertex reported once; and, on success, everything pending confirmed.
type deferredCheck struct {
	t       testing.TB
	payload []byte
	src     *bytesSource
	s       Slice

	out       []byte // bytes delivered, pending or not
	next      uint64 // next chunk to deliver
	confirmed uint64 // chunks before it are delivered and verified
	badChunk  map[uint64]bool
	pending   map[[2]uint64]bool // unconfirmed pending vertices -> correct
	reported  map[[2]uint64]bool
	ranges    int // OnVerified calls
	nPending  int // chunks passed to OnPending
}

func newDeferredCheck(t testing.TB, payload []byte, s Slice) *deferredCheck {
	return &deferredCheck{t: t, payload: payload, src: sourceOf(payload), s: s, next: s.Start, confirmed: s.Start,
		badChunk: map[uint64]bool{}, pending: map[[2]uint64]bool{}, reported: map[[2]uint64]bool{}}
}

func (d *deferredCheck) chunkOK(i uint64, c []byte) bool {
	want, _ := d.src.chunk(i, nil)
	return bytes.Equal(c, want)
}

func (d *deferredCheck) labelsOK(lo, hi uint64, l, r Digest) bool {
	mid := split(lo, hi)
	wl, _ := d.src.label(lo, mid)
	wr, _ := d.src.label(mid, hi)
	return wl == l && wr == r
}

func (d *deferredCheck) deliver(i uint64, c []byte) {
	d.t.Helper()
	if i != d.next {
		d.t.Fatalf("chunk %d delivered, want %d", i, d.next)
	}
	d.next++
	d.out = append(d.out, c...)
}

func (d *deferredCheck) report(lo, hi uint64) {
	d.t.Helper()
	k := [2]uint64{lo, hi}
	if d.reported[k] {
		d.t.Fatalf("vertex [%d, %d) reported twice", lo, hi)
	}
	d.reported[k] = true
}

func (d *deferredCheck) config(digest Digest, o Options, known KnownLabels) VerifierConfig {
	return VerifierConfig{
		Digest: digest, Length: uint64(len(d.payload)), Slice: d.s, Options: o, Known: known,
		OnChunk: func(i uint64, c []byte) error {
			d.t.Helper()
			if d.confirmed != i {
				d.t.Fatalf("chunk %d released verified while chunks from %d are unconfirmed", i, d.confirmed)
			}
			if !d.chunkOK(i, c) {
				d.t.Fatalf("wrong chunk %d released as verified", i)
			}
			d.deliver(i, c)
			d.confirmed = i + 1
			return nil
		},
		OnPending: func(i uint64, c []byte) error {
			d.deliver(i, c)
			d.nPending++
			if !d.chunkOK(i, c) {
				d.badChunk[i] = true
			}
			return nil
		},
		OnVertex: func(lo, hi uint64, l, r Digest) error {
			d.report(lo, hi)
			if !d.labelsOK(lo, hi, l, r) {
				d.t.Fatalf("wrong labels of vertex [%d, %d) reported verified", lo, hi)
			}
			return nil
		},
		OnPendingVertex: func(lo, hi uint64, l, r Digest) error {
			d.report(lo, hi)
			if max(lo, d.s.Start) < d.confirmed {
				d.t.Fatalf("pending vertex [%d, %d) reported after its chunks were confirmed (up to %d)", lo, hi, d.confirmed)
			}
			d.pending[[2]uint64{lo, hi}] = d.labelsOK(lo, hi, l, r)
			return nil
		},
		OnVerified: func(start, end uint64) error {
			d.t.Helper()
			d.ranges++
			if start != d.confirmed || end <= start || end > d.next {
				d.t.Fatalf("OnVerified(%d, %d) with chunks confirmed up to %d, delivered up to %d", start, end, d.confirmed, d.next)
			}
			for i := start; i < end; i++ {
				if d.badChunk[i] {
					d.t.Fatalf("wrong pending chunk %d confirmed", i)
				}
			}
			d.confirmed = end
			for k, ok := range d.pending {
				if min(k[1], d.s.end()) <= end {
					if !ok {
						d.t.Fatalf("wrong pending vertex [%d, %d) confirmed", k[0], k[1])
					}
					delete(d.pending, k)
				}
			}
			return nil
		},
	}
}

// finish checks the state after a successful Close.
func (d *deferredCheck) finish() {
	d.t.Helper()
	if d.confirmed != d.s.end() || d.next != d.s.end() {
		d.t.Fatalf("stream accepted with chunks confirmed up to %d, delivered up to %d, slice ends at %d", d.confirmed, d.next, d.s.end())
	}
	if len(d.pending) != 0 {
		d.t.Fatalf("stream accepted with %d pending vertices unconfirmed", len(d.pending))
	}
}

// verifyDeferred is verifyStream in deferred mode; it returns the delivered
// bytes, verified or not.
func verifyDeferred(t testing.TB, payload []byte, digest Digest, s Slice, o Options, known KnownLabels, stream []byte, pieces []int) ([]byte, *deferredCheck, error) {
	t.Helper()
	d := newDeferredCheck(t, payload, s)
	v, err := NewVerifier(d.config(digest, o, known))
	if err != nil {
		return nil, d, err
	}
	for k := 0; len(stream) > 0; k++ {
		n := min(pieces[k%len(pieces)], len(stream))
		if _, err := v.Write(stream[:n]); err != nil {
			return d.out, d, err
		}
		stream = stream[n:]
	}
	if err := v.Close(); err != nil {
		return d.out, d, err
	}
	if !v.Done() {
		t.Fatal("Close succeeded but not Done")
	}
	d.finish()
	return d.out, d, nil
}

// TestDeferredPendingCounts checks which chunks the deferred mode hands out
// unverified: none for baseline and light streams, and every chunk of
// K-grouped ones (a group's last chunk too: it is confirmed, with the rest of
// its group, right after its OnPending call), confirmed group by group.
func TestDeferredPendingCounts(t *testing.T) {
	n := 100*1024 + 5
	payload := payloadOf(n, 31)
	digest := Sum(payload)
	src := newBytesSource(payload)
	g := src.g
	for _, c := range []struct {
		o        Options
		s        Slice
		pending  int
		minRange int
	}{
		{Options{}, Slice{0, g.chunks}, 0, 0},
		{Options{Light: true}, Slice{3, 50}, 0, 0},
		{Options{K: GroupedAll}, Slice{0, g.chunks}, int(g.chunks), 1},
		{Options{K: GroupedAll}, Slice{5, 60}, 60, 1},
		{Options{K: 1}, Slice{0, 64}, 64, 32}, // confirmed in pairs
		{Options{K: 2}, Slice{0, 64}, 64, 16},
		{Options{K: 3}, Slice{8, 16}, 16, 2},
		{Options{K: 3, Light: true}, Slice{8, 16}, 16, 2},
	} {
		stream := streamOf(t, src, c.s, c.o)
		got, d, err := verifyDeferred(t, payload, digest, c.s, c.o, nil, stream, []int{777})
		if err != nil || !bytes.Equal(got, sliceBytes(payload, c.s)) {
			t.Fatalf("%+v %+v: %v", c.o, c.s, err)
		}
		if d.nPending != c.pending || d.ranges < c.minRange {
			t.Errorf("%+v %+v: %d chunks pending in %d ranges, want %d in at least %d", c.o, c.s, d.nPending, d.ranges, c.pending, c.minRange)
		}
	}
}

// TestDeferredRoundTrip round-trips many lengths, slices and options in
// deferred mode, in pieces of several sizes, with and without skips.
func TestDeferredRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	opts := append(allOptions(), Options{K: 2, Light: true, LeftSkip: 2}, Options{K: 3, RightSkip: 3}, Options{K: 64, LeftSkip: 1, RightSkip: 1})
	for _, n := range append(streamLengths(), 200*1024+3) {
		payload := payloadOf(n, 32)
		digest, oracle, src := Sum(payload), payloadOracle(t, payload), newBytesSource(payload)
		for _, o := range opts {
			for _, s := range slicesOf(src.g.chunks, rng) {
				stream := streamOf(t, src, s, o)
				for _, pieces := range [][]int{{len(stream) + 1}, {1, 1023, 2000}, {1024}} {
					got, _, err := verifyDeferred(t, payload, digest, s, o, oracle, stream, pieces)
					if err != nil || !bytes.Equal(got, sliceBytes(payload, s)) {
						t.Fatalf("len %d %+v %+v pieces %v: %v", n, s, o, pieces, err)
					}
				}
			}
		}
	}
}

// TestDeferredTamper flips bytes of K-grouped streams: the deferred mode
// must fail exactly like the buffered one, confirming nothing wrong
// (checked by the callbacks), and the failure must come no later than the
// end of the group holding the flipped byte.
func TestDeferredTamper(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, n := range []int{1025, 9 * 1024, 33*1024 + 1} {
		payload := payloadOf(n, 33)
		digest, oracle, src := Sum(payload), payloadOracle(t, payload), newBytesSource(payload)
		for _, o := range []Options{{K: 1}, {K: 2, Light: true}, {K: 3}, {K: 64}, {K: 64, LeftSkip: 2}, {K: 2, RightSkip: 1}} {
			for _, s := range slicesOf(src.g.chunks, rng) {
				stream := streamOf(t, src, s, o)
				bad := bytes.Clone(stream)
				for k := 0; k < 40; k++ {
					i := rng.IntN(len(stream))
					bad[i] ^= 1 << rng.IntN(8)
					_, _, err := verifyDeferred(t, payload, digest, s, o, oracle, bad, []int{1 + rng.IntN(3000)})
					_, berr := verifyStream(t, payload, digest, s, o, oracle, bad, []int{len(bad)})
					if !(errors.Is(err, ErrLabelMismatch) || errors.Is(err, ErrChunkMismatch)) || fmt.Sprint(err) != fmt.Sprint(berr) {
						t.Fatalf("len %d %+v %+v: flipped byte %d: deferred %v, buffered %v", n, s, o, i, err, berr)
					}
					bad[i] = stream[i]
				}
			}
		}
	}
}

// TestDeferredCallbackErrors checks that errors of the deferred callbacks
// stop the Verifier and come back wrapped in a StreamError.
func TestDeferredCallbackErrors(t *testing.T) {
	payload := payloadOf(20*1024, 34)
	stream, _ := AppendSliceStream(nil, payload, FullSlice(20*1024), Options{K: 2})
	boom := errors.New("boom")
	for name, set := range map[string]func(*VerifierConfig){
		"pending": func(c *VerifierConfig) { c.OnPending = func(uint64, []byte) error { return boom } },
		"vertex": func(c *VerifierConfig) {
			c.OnPendingVertex = func(uint64, uint64, Digest, Digest) error { return boom }
		},
		"verified": func(c *VerifierConfig) { c.OnVerified = func(uint64, uint64) error { return boom } },
	} {
		c := VerifierConfig{Digest: Sum(payload), Length: 20 * 1024, Slice: FullSlice(20 * 1024), Options: Options{K: 2},
			OnPending: func(uint64, []byte) error { return nil }}
		set(&c)
		v, err := NewVerifier(c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Write(stream)
		var se *StreamError
		if !errors.Is(err, boom) || !errors.As(err, &se) || v.Close() != err {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDeferredSlicesWithCache verifies consecutive slices with the optimal
// left skip, as the drop format sends them, in deferred mode: the vertices
// OnVertex reports (those verified on the path, which include the root
// paths of each slice's first and last chunks) are enough for the skips, and
// the cache stays small (O(log n) per 64-grouped slice).
func TestDeferredSlicesWithCache(t *testing.T) {
	for _, n := range []int{45*1024 + 17, 300 * 1024} {
		payload := payloadOf(n, 35)
		g := newGeometry(uint64(n))
		src := newBytesSource(payload)
		rng := rand.New(rand.NewPCG(uint64(n), 36))
		for _, k := range []uint8{GroupedAll, 1, 3} {
			cache := NewLabelCache()
			prevEnd := uint64(0)
			slices := 0
			for a := uint64(0); a < g.chunks; slices++ {
				s := Slice{a, 1 + rng.Uint64N(min(g.chunks-a, 40))}
				o := Options{K: k}
				if a > 0 {
					o.LeftSkip = OptimalLeftSkip(g.chunks, prevEnd, s.Start)
				}
				d := newDeferredCheck(t, payload, s)
				c := d.config(Sum(payload), o, cache)
				check := c.OnVertex
				c.OnVertex = func(lo, hi uint64, l, r Digest) error {
					if err := check(lo, hi, l, r); err != nil {
						return err
					}
					return cache.Record(lo, hi, l, r)
				}
				v, err := NewVerifier(c)
				if err == nil {
					if _, err = v.Write(streamOf(t, src, s, o)); err == nil {
						err = v.Close()
					}
				}
				if err != nil {
					t.Fatalf("len %d K %d slice %+v skip %d: %v", n, k, s, o.LeftSkip, err)
				}
				d.finish()
				if !bytes.Equal(d.out, sliceBytes(payload, s)) {
					t.Fatalf("slice %+v: wrong bytes", s)
				}
				prevEnd = s.end() - 1
				a += s.Count + rng.Uint64N(3)
			}
			if k == GroupedAll && len(cache.vertices) > slices*2*bitsLen(g.chunks) {
				t.Errorf("len %d: %d vertices cached for %d slices", n, len(cache.vertices), slices)
			}
		}
	}
}

func bitsLen(c uint64) int {
	n := 0
	for ; c > 0; c >>= 1 {
		n++
	}
	return n
}

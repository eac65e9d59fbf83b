package bab

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// payloadOracle returns a LabelCache holding every inner vertex of payload,
// recorded by verifying its full baseline stream, and checks that OnVertex
// reported each vertex once with the labels the payload gives.
func payloadOracle(t testing.TB, payload []byte) *LabelCache {
	t.Helper()
	return recordVertices(t, payload, Options{})
}

// recordVertices verifies the full stream of payload under o and checks that
// OnVertex reports every inner vertex exactly once, with the right labels.
func recordVertices(t testing.TB, payload []byte, o Options) *LabelCache {
	t.Helper()
	g := newGeometry(uint64(len(payload)))
	cache := NewLabelCache()
	src := newBytesSource(payload)
	stream, err := AppendSliceStream(nil, payload, FullSlice(g.length), o)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(VerifierConfig{Digest: Sum(payload), Length: g.length, Slice: FullSlice(g.length), Options: o,
		OnVertex: func(lo, hi uint64, l, r Digest) error {
			if _, _, err := cache.ChildLabels(lo, hi); err == nil {
				t.Fatalf("vertex [%d, %d) reported twice", lo, hi)
			}
			mid := split(lo, hi)
			if wl, _ := src.label(lo, mid); wl != l {
				t.Fatalf("vertex [%d, %d): wrong left label", lo, hi)
			}
			if wr, _ := src.label(mid, hi); wr != r {
				t.Fatalf("vertex [%d, %d): wrong right label", lo, hi)
			}
			return cache.Record(lo, hi, l, r)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if got := uint64(len(cache.vertices)); got != g.chunks-1 {
		t.Fatalf("%d vertices recorded, want %d", got, g.chunks-1)
	}
	return cache
}

// verifyStream feeds stream to a Verifier in pieces of the given sizes
// (cycled) and returns the released payload bytes. It checks the stream in
// deferred mode too (see verifyDeferred), which must give the same result.
func verifyStream(t testing.TB, payload []byte, digest Digest, s Slice, o Options, known KnownLabels, stream []byte, pieces []int) ([]byte, error) {
	t.Helper()
	out, err := verifyBuffered(t, payload, digest, s, o, known, stream, pieces)
	dout, _, derr := verifyDeferred(t, payload, digest, s, o, known, stream, pieces)
	if fmt.Sprint(err) != fmt.Sprint(derr) {
		t.Fatalf("%+v %+v: buffered mode: %v; deferred mode: %v", s, o, err, derr)
	}
	if err == nil && !bytes.Equal(out, dout) {
		t.Fatalf("%+v %+v: deferred mode delivered other bytes", s, o)
	}
	return out, err
}

// verifyBuffered is verifyStream in the default, buffered mode.
func verifyBuffered(t testing.TB, payload []byte, digest Digest, s Slice, o Options, known KnownLabels, stream []byte, pieces []int) ([]byte, error) {
	t.Helper()
	var out []byte
	next := s.Start
	v, err := NewVerifier(VerifierConfig{
		Digest: digest, Length: uint64(len(payload)), Slice: s, Options: o, Known: known,
		OnChunk: func(i uint64, c []byte) error {
			if i != next {
				t.Fatalf("chunk %d released, want %d", i, next)
			}
			next++
			out = append(out, c...)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	for k := 0; len(stream) > 0; k++ {
		n := min(pieces[k%len(pieces)], len(stream))
		if _, err := v.Write(stream[:n]); err != nil {
			return out, err
		}
		stream = stream[n:]
	}
	if err := v.Close(); err != nil {
		return out, err
	}
	if !v.Done() {
		t.Fatal("Close succeeded but not Done")
	}
	return out, nil
}

// streamOf produces a stream from a prepared source, so that tests making
// many streams of one payload label it only once.
func streamOf(t testing.TB, src *bytesSource, s Slice, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := produce(&b, src.g, src, s, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func payloadOf(n int, seed uint64) []byte {
	return randomBytes(rand.New(rand.NewPCG(seed, uint64(n))), n)
}

func sliceBytes(p []byte, s Slice) []byte {
	a := s.Start * ChunkSize
	b := min(s.end()*ChunkSize, uint64(len(p)))
	return p[a:b]
}

func allOptions() []Options {
	var os []Options
	for _, k := range []uint8{0, 1, 2, 3, 64} {
		for _, light := range []bool{false, true} {
			os = append(os, Options{K: k, Light: light})
		}
	}
	return append(os,
		Options{LeftSkip: 1}, Options{RightSkip: 2}, Options{LeftSkip: 3, RightSkip: 1, Light: true},
		Options{K: 64, LeftSkip: 2}, Options{K: 1, LeftSkip: 64, RightSkip: 64})
}

func slicesOf(chunks uint64, rng *rand.Rand) []Slice {
	ss := []Slice{{0, chunks}, {0, 1}, {chunks - 1, 1}}
	if chunks > 2 {
		ss = append(ss, Slice{1, chunks - 2}, Slice{chunks / 2, 1})
	}
	for i := 0; i < 3 && chunks > 1; i++ {
		a := rng.Uint64N(chunks)
		ss = append(ss, Slice{a, 1 + rng.Uint64N(chunks-a)})
	}
	return ss
}

func streamLengths() []int {
	ls := []int{0, 1, 1023, 1024, 1025, 13*1024 - 100, 13 * 1024}
	for k := 1; k <= 6; k++ {
		p := (1 << k) * 1024
		ls = append(ls, p-1, p+1)
	}
	return ls
}

func TestStreamRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lengths := streamLengths()
	lengths = append(lengths, 1100*1024+7)
	for _, n := range lengths {
		payload := payloadOf(n, 1)
		digest, oracle := Sum(payload), payloadOracle(t, payload)
		src := newBytesSource(payload)
		g := newGeometry(uint64(n))
		opts := allOptions()
		slices := slicesOf(g.chunks, rng)
		if g.chunks > 100 && testing.Short() {
			opts = opts[:4]
			slices = slices[:3]
		}
		for _, o := range opts {
			for _, s := range slices {
				name := fmt.Sprintf("len%d/%+v/%+v", n, s, o)
				stream := streamOf(t, src, s, o)
				want, err := StreamLen(uint64(n), s, o)
				if err != nil || want != uint64(len(stream)) {
					t.Fatalf("%s: StreamLen %d (%v), stream has %d bytes", name, want, err, len(stream))
				}
				for _, pieces := range [][]int{{len(stream) + 1}, {1}, {7, 33, 1000}} {
					if len(stream) > 20000 && pieces[0] == 1 {
						continue
					}
					got, err := verifyStream(t, payload, digest, s, o, oracle, stream, pieces)
					if err != nil {
						t.Fatalf("%s pieces %v: %v", name, pieces, err)
					}
					if !bytes.Equal(got, sliceBytes(payload, s)) {
						t.Fatalf("%s: released %d bytes differ from the slice", name, len(got))
					}
				}
			}
		}
	}
}

// TestTamper flips every byte of small streams, truncates them at every
// length and extends them: every change must be rejected with a typed error.
func TestTamper(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	lengths := []int{0, 1, 1025, 3 * 1024, 13*1024 - 100}
	if testing.Short() {
		lengths = []int{0, 1025, 5 * 1024}
	}
	for _, n := range lengths {
		payload := payloadOf(n, 2)
		digest, oracle := Sum(payload), payloadOracle(t, payload)
		g := newGeometry(uint64(n))
		for _, o := range allOptions() {
			for _, s := range slicesOf(g.chunks, rng)[:3] {
				stream, err := AppendSliceStream(nil, payload, s, o)
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("len%d/%+v/%+v", n, s, o)
				// Every byte of small streams; for larger ones about 600
				// positions with a random phase, plus the last byte.
				step, budget := 1, 600
				if testing.Short() {
					budget = 150
				}
				if len(stream) > budget {
					step = len(stream) / budget
				}
				phase := rng.IntN(step)
				positions := []int{len(stream) - 1}
				for i := phase; i < len(stream); i += step {
					positions = append(positions, i)
				}
				bad := bytes.Clone(stream)
				for _, i := range positions {
					if i < 0 {
						continue
					}
					bad[i] ^= 1 << (i % 8)
					_, err := verifyStream(t, payload, digest, s, o, oracle, bad, []int{len(bad)})
					var se *StreamError
					if !errors.As(err, &se) || !(errors.Is(err, ErrLabelMismatch) || errors.Is(err, ErrChunkMismatch)) {
						t.Fatalf("%s: flipped byte %d: err %v", name, i, err)
					}
					// A bad left label shows when its right sibling arrives;
					// baseline streams catch everything within one label.
					if se.Offset >= int64(len(stream)) || (o == Options{} && se.Offset > int64(i)+DigestSize) {
						t.Fatalf("%s: flipped byte %d reported at offset %d", name, i, se.Offset)
					}
					bad[i] = stream[i]
				}
				for _, cut := range positions {
					if cut < 0 {
						continue
					}
					_, err := verifyStream(t, payload, digest, s, o, oracle, stream[:cut], []int{1 + cut/3})
					if !errors.Is(err, ErrStreamTooShort) {
						t.Fatalf("%s: truncated to %d: err %v", name, cut, err)
					}
				}
				_, err = verifyStream(t, payload, digest, s, o, oracle, append(bytes.Clone(stream), 0), []int{len(stream) + 1})
				if !errors.Is(err, ErrStreamTooLong) {
					t.Fatalf("%s: extended: err %v", name, err)
				}
			}
		}
	}
}

// TestWrongLength checks that a stream is rejected when the receiver's
// length differs from the real one, even by one byte.
func TestWrongLength(t *testing.T) {
	for _, n := range []int{1, 1024, 1025, 4097} {
		payload := payloadOf(n, 3)
		for _, o := range []Options{{}, {K: 64}, {Light: true}} {
			stream, _ := AppendSliceStream(nil, payload, FullSlice(uint64(n)), o)
			for _, d := range []int{-1, 1} {
				v, err := NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n + d), Slice: Slice{0, 1}, Options: o})
				if err != nil {
					continue
				}
				v.Write(stream)
				if v.Close() == nil {
					t.Fatalf("len %d accepted as %d", n, n+d)
				}
			}
		}
	}
}

// TestReleaseDelay checks that baseline and light streams release each chunk
// as soon as its last byte arrives, and a K-grouped one within 2^K chunks.
func TestReleaseDelay(t *testing.T) {
	n := 37*1024 + 5
	payload := payloadOf(n, 4)
	for _, o := range []Options{{}, {Light: true}, {K: 2}, {K: 2, Light: true}} {
		s := Slice{3, 30}
		stream, _ := AppendSliceStream(nil, payload, s, o)
		released := uint64(0)
		v, err := NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n), Slice: s, Options: o,
			OnChunk: func(i uint64, c []byte) error { released = i + 1 - s.Start; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		maxLag := uint64(0)
		for i := range stream {
			v.Write(stream[i : i+1])
			if got := v.received - s.Start; got-released > maxLag {
				maxLag = got - released
			}
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		limit := uint64(1) << o.K
		if maxLag > limit || (o.K == 0 && maxLag != 0) {
			t.Errorf("%+v: up to %d chunks pending, limit %d", o, maxLag, limit)
		}
	}
}

// TestSpecExamples rebuilds the item order of the Bab specification's
// figures (a 6-chunk string) and the 13-chunk example of our notes.
func TestSpecExamples(t *testing.T) {
	payload := payloadOf(5*1024+1, 9) // 6 chunks, like hello_world at chunk size 2
	src := newBytesSource(payload)
	lbl := func(lo, hi uint64) []byte { l, _ := src.label(lo, hi); return l[:] }
	chunk := func(i uint64) []byte { c, _ := src.chunk(i, nil); return c }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	cases := []struct {
		name string
		s    Slice
		o    Options
		want []byte
	}{
		{"baseline full", Slice{0, 6}, Options{}, cat(lbl(0, 4), lbl(4, 6), lbl(0, 2), lbl(2, 4), lbl(0, 1), lbl(1, 2), chunk(0), chunk(1),
			lbl(2, 3), lbl(3, 4), chunk(2), chunk(3), lbl(4, 5), lbl(5, 6), chunk(4), chunk(5))},
		{"1-grouped light full", Slice{0, 6}, Options{K: 1, Light: true}, cat(lbl(4, 6), lbl(0, 2), lbl(2, 4), chunk(0), chunk(1), chunk(2), chunk(3), chunk(4), chunk(5))},
		{"light slice", Slice{2, 3}, Options{Light: true}, cat(lbl(4, 6), lbl(0, 2), lbl(2, 4), lbl(2, 3), lbl(3, 4), chunk(2), chunk(3), lbl(4, 5), lbl(5, 6), chunk(4))},
		{"1-grouped light slice", Slice{2, 3}, Options{K: 1, Light: true}, cat(lbl(4, 6), lbl(0, 2), lbl(2, 4), chunk(2), chunk(3), lbl(5, 6), chunk(4))},
		{"baseline slice", Slice{2, 3}, Options{}, cat(lbl(0, 4), lbl(4, 6), lbl(0, 2), lbl(2, 4), lbl(2, 3), lbl(3, 4), chunk(2), chunk(3), lbl(4, 5), lbl(5, 6), chunk(4))},
	}
	for _, c := range cases {
		got, err := AppendSliceStream(nil, payload, c.s, c.o)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s: stream differs from the specification's order (%v)", c.name, err)
		}
	}
	p13 := payloadOf(13*1024, 10)
	src = newBytesSource(p13)
	got, _ := AppendSliceStream(nil, p13, Slice{5, 3}, Options{K: GroupedAll})
	want := cat(lbl(8, 13), lbl(0, 4), lbl(4, 5), p13[5*1024:8*1024])
	if !bytes.Equal(got, want) {
		t.Error("64-grouped slice [5,8) of 13 chunks differs")
	}
}

func TestLabelCounts(t *testing.T) {
	n13 := uint64(13 * 1024)
	for _, c := range []struct {
		s    Slice
		o    Options
		want uint64
	}{
		{Slice{0, 13}, Options{}, 24},
		{Slice{0, 13}, Options{Light: true}, 18},
		{Slice{5, 3}, Options{}, 10},
		{Slice{5, 3}, Options{K: GroupedAll}, 3},
	} {
		if got, err := LabelCount(n13, c.s, c.o); err != nil || got != c.want {
			t.Errorf("13 chunks %+v %+v: %d labels (%v), want %d", c.s, c.o, got, err, c.want)
		}
	}
	// Upstream willow25 expected_bytes table: (first, count, total) -> labels
	// of a 64-grouped stream without skips.
	for _, c := range [][4]uint64{
		{0, 11, 11, 0}, {1, 10, 11, 1}, {3, 8, 11, 2}, {7, 4, 11, 3}, {0, 10, 11, 1},
		{7, 2, 11, 5}, {0, 1, 11, 4}, {5, 1, 6, 2}, {0, 1, 6, 3}, {1, 1, 6, 3}, {3, 2, 6, 3},
	} {
		length := c[2] * ChunkSize
		got, err := LabelCount(length, Slice{c[0], c[1]}, Options{K: GroupedAll})
		if err != nil || got != c[3] {
			t.Errorf("first %d count %d of %d: %d labels (%v), want %d", c[0], c[1], c[2], got, err, c[3])
		}
		bytesWant := c[1]*ChunkSize + DigestSize*c[3]
		if got, _ := StreamLen(length, Slice{c[0], c[1]}, Options{K: GroupedAll}); got != bytesWant {
			t.Errorf("first %d count %d of %d: %d bytes, want %d", c[0], c[1], c[2], got, bytesWant)
		}
	}
	// LabelCount agrees with the produced streams for every option.
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{0, 1, 5000, 13 * 1024, 70*1024 + 3} {
		p := payloadOf(n, 5)
		g := newGeometry(uint64(n))
		for _, o := range append(allOptions(), Options{K: 4, Light: true, LeftSkip: 2}) {
			for _, s := range slicesOf(g.chunks, rng) {
				st, _ := AppendSliceStream(nil, p, s, o)
				labels, _ := LabelCount(uint64(n), s, o)
				if uint64(len(st)) != g.bytes(s.Start, s.end())+DigestSize*labels {
					t.Fatalf("len %d %+v %+v: LabelCount %d disagrees with stream of %d bytes", n, s, o, labels, len(st))
				}
			}
		}
	}
}

func TestOptimalLeftSkip(t *testing.T) {
	for _, c := range [][4]uint64{
		{2, 0, 1, 1}, {6, 0, 1, 3}, {6, 0, 2, 2}, {6, 0, 4, 1}, {6, 2, 3, 3}, {6, 4, 5, 2},
		{8, 0, 1, 3}, {8, 2, 3, 3}, {8, 4, 5, 3}, {8, 4, 6, 2}, {8, 6, 7, 3},
	} {
		if got := OptimalLeftSkip(c[0], c[1], c[2]); uint64(got) != c[3] {
			t.Errorf("OptimalLeftSkip(%d, %d, %d) = %d, want %d", c[0], c[1], c[2], got, c[3])
		}
	}
	if OptimalLeftSkip(8, 5, 5) != 0 || OptimalLeftSkip(8, 1, 8) != 0 {
		t.Error("invalid arguments must give 0")
	}
}

// TestSlicesWithCache verifies consecutive slices of one string, each with
// the optimal left skip, using the labels recorded from earlier slices, in
// the 64-grouped format of the drop format's slice mode 11.
func TestSlicesWithCache(t *testing.T) {
	n := 45*1024 + 17
	payload := payloadOf(n, 6)
	g := newGeometry(uint64(n))
	cache := NewLabelCache()
	prevEnd := uint64(0)
	var got []byte
	for i, s := range []Slice{{0, 3}, {5, 2}, {7, 1}, {20, 11}, {40, 6}} {
		o := Options{K: GroupedAll}
		if i > 0 {
			o.LeftSkip = OptimalLeftSkip(g.chunks, prevEnd, s.Start)
		}
		stream, err := AppendSliceStream(nil, payload, s, o)
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n), Slice: s, Options: o, Known: cache,
			OnChunk:  func(_ uint64, c []byte) error { got = append(got, c...); return nil },
			OnVertex: cache.Record})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Write(stream); err != nil {
			t.Fatalf("slice %+v skip %d: %v", s, o.LeftSkip, err)
		}
		if err := v.Close(); err != nil {
			t.Fatalf("slice %+v: %v", s, err)
		}
		if !bytes.Equal(got, sliceBytes(payload, s)) {
			t.Fatalf("slice %+v: wrong bytes", s)
		}
		got = got[:0]
		prevEnd = s.end() - 1
	}
	// Without the cache the skip cannot be honoured.
	_, err := NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n), Slice: Slice{5, 1}, Options: Options{LeftSkip: 1}})
	if !errors.Is(err, ErrKnownLabels) {
		t.Fatalf("skip without KnownLabels: %v", err)
	}
	_, err = NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n), Slice: Slice{5, 1}, Options: Options{LeftSkip: 1}, Known: NewLabelCache()})
	if !errors.Is(err, ErrKnownLabels) {
		t.Fatalf("unknown skipped vertex: %v", err)
	}
	// Lying known labels are caught.
	liar := NewLabelCache()
	liar.Record(0, g.chunks, Digest{1}, Digest{2})
	_, err = NewVerifier(VerifierConfig{Digest: Sum(payload), Length: uint64(n), Slice: Slice{5, 1}, Options: Options{LeftSkip: 1}, Known: liar})
	if !errors.Is(err, ErrKnownLabels) {
		t.Fatalf("inconsistent known labels: %v", err)
	}
}

func TestInvalidSlices(t *testing.T) {
	for _, c := range []struct {
		length uint64
		s      Slice
	}{{0, Slice{0, 0}}, {0, Slice{0, 2}}, {0, Slice{1, 1}}, {2048, Slice{1, 2}}, {2048, Slice{^uint64(0), 2}}, {2048, Slice{1, ^uint64(0)}}} {
		if _, err := NewVerifier(VerifierConfig{Length: c.length, Slice: c.s}); !errors.Is(err, ErrInvalidSlice) {
			t.Errorf("%d %+v: NewVerifier %v", c.length, c.s, err)
		}
		if _, err := LabelCount(c.length, c.s, Options{}); !errors.Is(err, ErrInvalidSlice) {
			t.Errorf("%d %+v: LabelCount %v", c.length, c.s, err)
		}
		if _, err := AppendSliceStream(nil, make([]byte, c.length), c.s, Options{}); !errors.Is(err, ErrInvalidSlice) {
			t.Errorf("%d %+v: AppendSliceStream %v", c.length, c.s, err)
		}
	}
}

func TestOnVertexAllFormats(t *testing.T) {
	for _, n := range []int{0, 2048, 13*1024 - 5, 100 * 1024} {
		p := payloadOf(n, 13)
		for _, o := range []Options{{Light: true}, {K: 1}, {K: 3, Light: true}, {K: GroupedAll}} {
			recordVertices(t, p, o)
		}
	}
}

// TestEverySlice round-trips every slice of small strings (up to 13 chunks)
// under every option set, in one piece and in 100-byte pieces.
func TestEverySlice(t *testing.T) {
	for _, n := range []int{0, 1, 1024, 1025, 3*1024 - 1, 4*1024 + 1, 8 * 1024, 13*1024 - 100} {
		payload := payloadOf(n, 14)
		digest, oracle, src := Sum(payload), payloadOracle(t, payload), newBytesSource(payload)
		g := src.g
		for start := uint64(0); start < g.chunks; start++ {
			for count := uint64(1); start+count <= g.chunks; count++ {
				s := Slice{start, count}
				for _, o := range allOptions() {
					stream := streamOf(t, src, s, o)
					for _, pieces := range [][]int{{len(stream) + 1}, {100}} {
						got, err := verifyStream(t, payload, digest, s, o, oracle, stream, pieces)
						if err != nil || !bytes.Equal(got, sliceBytes(payload, s)) {
							t.Fatalf("len %d %+v %+v: %v", n, s, o, err)
						}
					}
				}
			}
		}
	}
}

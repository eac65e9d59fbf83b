package bab

import (
	"bytes"
	"testing"
)

// TestSkipSemantics pins down what a skipped vertex omits: the labels of
// BOTH its children, whether they lie inside the slice, left of it or right
// of it. Sources: the Bab specification's definition of left_skip and
// right_skip ("omit from the stream the labels of the children of the first
// left_skip vertices on the path from the root to the first chunk") and its
// Figure 9; bab_rs (generic/storage/verifiable_streaming.rs,
// SliceProgressIterator marks every vertex of the skipped path prefix
// `skip`, and produce_slice_stream writes neither child label of a skipped
// vertex).
func TestSkipSemantics(t *testing.T) {
	// Figure 9: hello_world with 2-byte chunks (6 chunks), slice o_worl
	// (chunks 2..4), baseline, left_skip = right_skip = 2. Vertices are
	// numbered in pre-order from 1: 1 = [0,6) with children 2 = [0,4) and
	// 9 = [4,6); 2 with children 3 = [0,2) and 6 = [2,4); 6 with children
	// 7, 8 (chunks 2, 3); 9 with children 10, 11 (chunks 4, 5). The stream is
	// lbl(7), lbl(8), o_, wo, rl: the left skip drops lbl(6), the in-slice
	// right child of vertex 2, and the right skip drops lbl(10), the
	// in-slice left child of vertex 9.
	payload := payloadOf(5*1024+1, 91) // 6 chunks
	src := newBytesSource(payload)
	lbl := func(lo, hi uint64) []byte { l, _ := src.label(lo, hi); return l[:] }
	chunks := func(lo, hi uint64) []byte { return payload[lo*1024 : min(hi*1024, uint64(len(payload)))] }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	o := Options{LeftSkip: 2, RightSkip: 2}
	got, err := AppendSliceStream(nil, payload, Slice{2, 3}, o)
	if want := cat(lbl(2, 3), lbl(3, 4), chunks(2, 5)); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Figure 9 stream differs (%v)", err)
	}
	if _, err := verifyStream(t, payload, Sum(payload), Slice{2, 3}, o, payloadOracle(t, payload), got, []int{100}); err != nil {
		t.Error(err)
	}

	// A skipped vertex whose right child lies wholly right of the slice:
	// 8 chunks, slice [1, 2) after [0, 1), optimal left skip 3 (root, [0,4),
	// [0,2)). bab_rs omits the labels of [4,8) and [2,4) too, so the stream
	// is chunk 1 alone, in any format.
	p8 := payloadOf(8*1024, 92)
	for _, o := range []Options{{LeftSkip: 3}, {K: GroupedAll, LeftSkip: 3}} {
		if OptimalLeftSkip(8, 0, 1) != 3 {
			t.Fatal("OptimalLeftSkip(8, 0, 1) != 3")
		}
		got, err := AppendSliceStream(nil, p8, Slice{1, 1}, o)
		if err != nil || !bytes.Equal(got, p8[1024:2048]) {
			t.Errorf("%+v: slice [1, 2) of 8 chunks with left skip 3 has %d bytes, want the chunk alone (%v)", o, len(got), err)
		}
		if n, _ := StreamLen(8*1024, Slice{1, 1}, o); n != 1024 {
			t.Errorf("%+v: StreamLen %d, want 1024", o, n)
		}
	}
}

// TestOptimalLeftSkipBabRs checks OptimalLeftSkip against the whole table of
// bab_rs's test_optimal_left_skip (generic/storage/units.rs).
func TestOptimalLeftSkipBabRs(t *testing.T) {
	for _, c := range [][4]uint64{
		{2, 0, 1, 1}, {6, 0, 1, 3}, {6, 0, 2, 2}, {6, 0, 3, 2}, {6, 0, 4, 1}, {6, 0, 5, 1},
		{6, 1, 2, 2}, {6, 1, 3, 2}, {6, 1, 4, 1}, {6, 1, 5, 1}, {6, 2, 3, 3}, {6, 2, 4, 1},
		{6, 2, 5, 1}, {6, 3, 4, 1}, {6, 3, 5, 1}, {6, 4, 5, 2},
		{8, 0, 1, 3}, {8, 0, 2, 2}, {8, 0, 3, 2}, {8, 0, 4, 1}, {8, 0, 5, 1}, {8, 0, 6, 1},
		{8, 0, 7, 1}, {8, 1, 2, 2}, {8, 1, 3, 2}, {8, 1, 4, 1}, {8, 1, 5, 1}, {8, 1, 6, 1},
		{8, 1, 7, 1}, {8, 2, 3, 3}, {8, 2, 4, 1}, {8, 2, 5, 1}, {8, 2, 6, 1}, {8, 2, 7, 1},
		{8, 3, 4, 1}, {8, 3, 5, 1}, {8, 3, 6, 1}, {8, 3, 7, 1}, {8, 4, 5, 3}, {8, 4, 6, 2},
		{8, 4, 7, 2}, {8, 5, 6, 2}, {8, 5, 7, 2}, {8, 6, 7, 3},
	} {
		if got := OptimalLeftSkip(c[0], c[1], c[2]); uint64(got) != c[3] {
			t.Errorf("OptimalLeftSkip(%d, %d, %d) = %d, want %d", c[0], c[1], c[2], got, c[3])
		}
	}
}

package bab

// Options select one of Bab's verifiable slice stream formats. The zero
// value is the baseline verifiable slice stream.
type Options struct {
	// K omits the labels of all children of vertices in the K lowest
	// layers (the k-grouped streams); the verification delay grows to
	// 2^K chunks. K = 64 (or more) omits every label a receiver can
	// recompute from the slice itself, as the Willow drop format uses it.
	K uint8
	// Light also omits most left labels above layer K (the light and
	// k-grouped light streams): a left label is sent only by vertices whose
	// layer is K+1 modulo 2^K·32.
	Light bool
	// LeftSkip and RightSkip omit the child labels of the first LeftSkip
	// vertices on the path from the root to the first chunk of the slice
	// and of the first RightSkip vertices on the path to its last chunk.
	// The receiver must know them already (see [KnownLabels]). Both child
	// labels of a skipped vertex are omitted, as the Bab specification
	// says (its definition of left_skip and its Figure 9) and bab_rs does,
	// including labels of children outside the slice on either side.
	LeftSkip, RightSkip uint8
}

// GroupedAll is the K of the Willow drop format's 64-grouped baseline
// verifiable slice streams: Options{K: GroupedAll} sends only the labels of
// vertices outside the slice. Options{} is the baseline stream and
// Options{Light: true} the light stream (Confidential Sync uses the latter for
// whole payloads).
const GroupedAll = 64

// plan says what an inner vertex contributes to a stream.
type plan struct {
	skipped bool    // the receiver knows both child labels already
	send    [2]bool // the left and right child label are in the stream
}

// planFor applies the omission rules to the inner vertex over [lo, hi) at the
// given depth (root 0) for slice [s, e).
func (o Options) planFor(lo, hi uint64, depth int, s, e uint64) plan {
	if (depth < int(o.LeftSkip) && lo <= s && s < hi) || (depth < int(o.RightSkip) && lo <= e-1 && e-1 < hi) {
		return plan{skipped: true}
	}
	mid := split(lo, hi)
	lay := layer(lo, hi)
	omitBoth := lay <= int(o.K)
	omitLeft := omitBoth || (o.Light && !o.keepsLeft(lay))
	// Labels of children outside the slice are never omitted: the receiver
	// needs them to recompute this vertex.
	return plan{send: [2]bool{
		!overlaps(lo, mid, s, e) || !omitLeft,
		!overlaps(mid, hi, s, e) || !omitBoth,
	}}
}

// keepsLeft tells whether a vertex above layer K of a light stream sends its
// left label: its layer must be K+1 modulo 2^K·ceil(ChunkSize/DigestSize).
func (o Options) keepsLeft(lay int) bool {
	k := int(o.K)
	if k >= 2 {
		// The modulus (at least 128) exceeds every layer (at most 55).
		return lay == k+1
	}
	mod := (1 << k) * (ChunkSize / DigestSize)
	return lay >= k+1 && (lay-(k+1))%mod == 0
}

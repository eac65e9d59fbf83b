package bab

import "github.com/willow-web/willow-web/internal/wrap"

// A LabelCache remembers the child labels of verified vertices, so that a
// receiver can ask for later slices of the same string with a left or right
// skip. Pass its Record method as [VerifierConfig].OnVertex and the cache
// itself as [VerifierConfig].Known. It grows by one entry per verified inner
// vertex.
type LabelCache struct {
	vertices map[[2]uint64][2]Digest
}

// NewLabelCache returns an empty cache.
func NewLabelCache() *LabelCache {
	return &LabelCache{vertices: make(map[[2]uint64][2]Digest)}
}

// Record stores the child labels of the vertex over chunks [start, end).
func (c *LabelCache) Record(start, end uint64, left, right Digest) error {
	c.vertices[[2]uint64{start, end}] = [2]Digest{left, right}
	return nil
}

// ChildLabels implements [KnownLabels].
func (c *LabelCache) ChildLabels(start, end uint64) (left, right Digest, err error) {
	v, ok := c.vertices[[2]uint64{start, end}]
	if !ok {
		return Digest{}, Digest{}, wrap.New("vertex over chunks [" + wrap.Num(start) + ", " + wrap.Num(end) + ") not recorded")
	}
	return v[0], v[1], nil
}

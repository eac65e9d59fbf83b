package path

// Successor returns the least path strictly greater than p (in the order of
// Compare) that respects the Willow'25 limits, and false if p is the greatest
// such path.
func (p Path) Successor() (Path, bool) {
	if p.Len() < MaxComponentCount {
		q, err := p.Append(nil)
		return q, err == nil
	}
	return p.GreaterButNotPrefixed()
}

// GreaterButNotPrefixed returns the least path strictly greater than p that
// does not have p as a prefix, and false if there is none. Every path with p
// as prefix sorts in [p, p.GreaterButNotPrefixed()).
func (p Path) GreaterButNotPrefixed() (Path, bool) {
	// Changing a later component yields a smaller path, so try the last one
	// first: replace component i by the least byte string greater than it
	// that fits the limits, and drop everything after it.
	for i := p.Len() - 1; i >= 0; i-- {
		before := p.Prefix(i)
		room := min(MaxComponentLength, MaxPathLength-before.TotalLength())
		if c, ok := nextComponent(p.Component(i), room); ok {
			q, err := before.Append(c)
			if err == nil {
				return q, true
			}
		}
	}
	return Path{}, false
}

// nextComponent returns the least byte string greater than c whose length is
// at most room.
func nextComponent(c []byte, room int) ([]byte, bool) {
	if len(c) < room {
		return append(append(make([]byte, 0, len(c)+1), c...), 0), true
	}
	for k := len(c) - 1; k >= 0; k-- {
		if c[k] < 0xff {
			out := append([]byte(nil), c[:k+1]...)
			out[k]++
			return out, true
		}
	}
	return nil, false
}

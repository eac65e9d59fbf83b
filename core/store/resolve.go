package store

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/uri"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Errors of URI resolution.
var (
	// ErrNotFound: the store holds no entry at the URI's namespace, subspace
	// and path.
	ErrNotFound = errors.New("store: no entry at that URI")
	// ErrOverwritten: the store holds an entry at the URI's path, but with
	// another payload digest than the URI names: the entry the link meant
	// was overwritten. Resolution never hands out the newer data instead.
	ErrOverwritten = errors.New("store: the linked entry was overwritten")
)

// ResolveEntry returns the entry an entry URI names and, if the URI selects
// payload bytes (from=/to=), writes them to w after clamping the range to
// the payload as the URI spec says. Bytes the store does not hold fail with
// bab.ErrMissingData before anything is written.
func (s *Store) ResolveEntry(u uri.EntryURI, w io.Writer) (Stored, error) {
	st, ok, err := s.Get(u.Namespace, u.Subspace, u.Path)
	if err != nil {
		return Stored{}, err
	}
	if !ok {
		return Stored{}, wrap.Detail(ErrNotFound, u.Path.String())
	}
	if u.HasDigest && st.Entry.PayloadDigest != u.Digest {
		return Stored{}, wrap.Detail(ErrOverwritten, u.Path.String()+" now has digest "+st.Entry.PayloadDigest.String()+", the link names "+u.Digest.String())
	}
	start, end, want := u.Range.Slice(st.Entry.PayloadLength)
	if !want || start == end {
		return st, nil
	}
	// Check the chunk bitmap first, so that a missing chunk writes nothing.
	storage, err := s.PayloadStorage(st.Entry)
	if err != nil {
		return Stored{}, err
	}
	for i := start / bab.ChunkSize; i*bab.ChunkSize < end; i++ {
		held, err := storage.HasChunk(i)
		if err != nil {
			return Stored{}, err
		}
		if !held {
			return Stored{}, wrap.Prefix("store: resolve "+u.Path.String()+": chunk "+wrap.Num(i), bab.ErrMissingData)
		}
	}
	return st, s.ReadPayload(st.Entry, start, end, w)
}

// ResolveArea returns the entries of the area of interest an area URI names,
// newest first (the order in which its count and size limits apply).
func (s *Store) ResolveArea(u uri.AreaURI) ([]Stored, error) {
	q := Query{
		Namespace: u.Namespace,
		Area:      grouping.Area{Subspace: grouping.OnlySubspace(u.Subspace), Path: u.Path, Times: u.Times},
		Order:     NewestFirst,
		MaxCount:  u.MaxCount,
		MaxSize:   u.MaxSize,
	}
	return s.Entries(q)
}

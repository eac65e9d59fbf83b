// Package entry implements the Willow Entry: the metadata of one write, its
// newer-than order, prefix pruning, and the entry encodings of the Willow
// encodings page (EncodeEntry, EncodeEntryRelativeEntry).
package entry

import (
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// Entry is the metadata associated with a payload.
type Entry struct {
	NamespaceID   ids.NamespaceID
	SubspaceID    ids.SubspaceID
	Path          path.Path
	Timestamp     Timestamp
	PayloadLength uint64
	PayloadDigest ids.PayloadDigest
}

// Default returns the Willow'25 default entry for a namespace, subspace and
// digest: empty path, timestamp 0, payload length 0.
func Default(ns ids.NamespaceID, ss ids.SubspaceID, digest ids.PayloadDigest) Entry {
	return Entry{NamespaceID: ns, SubspaceID: ss, PayloadDigest: digest}
}

// IsNewerThan reports whether e is newer than f: a greater timestamp, or an
// equal timestamp and a greater payload digest, or both equal and a greater
// payload length. Identical (timestamp, digest, length) are newer in neither
// direction.
func (e Entry) IsNewerThan(f Entry) bool {
	if e.Timestamp != f.Timestamp {
		return e.Timestamp > f.Timestamp
	}
	if c := e.PayloadDigest.Compare(f.PayloadDigest); c != 0 {
		return c > 0
	}
	return e.PayloadLength > f.PayloadLength
}

// Prunes reports whether inserting e into a store removes f by prefix
// pruning: same namespace and subspace, e's path a prefix of f's (equal paths
// included), and e newer than f.
func (e Entry) Prunes(f Entry) bool {
	return e.NamespaceID == f.NamespaceID && e.SubspaceID == f.SubspaceID &&
		e.Path.IsPrefixOf(f.Path) && e.IsNewerThan(f)
}

// Equal reports whether every field of e and f is equal.
func (e Entry) Equal(f Entry) bool {
	return e.NamespaceID == f.NamespaceID && e.SubspaceID == f.SubspaceID && e.Path.Equal(f.Path) &&
		e.Timestamp == f.Timestamp && e.PayloadLength == f.PayloadLength && e.PayloadDigest == f.PayloadDigest
}

package store

import (
	"encoding/binary"
	"errors"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// Key layout. Every key starts with a table byte.
//
//	meta      00 ‖ name                                   → value
//	entries   01 ‖ namespace ‖ subspace ‖ pathKey(path)   → record
//	by time   02 ‖ namespace ‖ timestamp (8, BE) ‖ subspace ‖ pathKey(path) → empty
//	payloads  03 ‖ payload key ‖ …                        (see payload.go)
//
// pathKey writes each component with 0x00 escaped as 00 01 and ends it with
// 00 00, so that bytewise key order is Willow's path order and a path's key is
// a byte prefix of exactly its extensions' keys: an area's path prefix is one
// contiguous key range per subspace, and queries cost a seek plus the results.
const (
	tableMeta    = 0x00
	tableEntries = 0x01
	tableByTime  = 0x02
	tablePayload = 0x03
)

// errCorrupt reports stored bytes the store itself could not have written.
var errCorrupt = errors.New("store: corrupt key or record")

// appendPathKey appends the order-preserving escape of p.
func appendPathKey(dst []byte, p path.Path) []byte {
	for i := 0; i < p.Len(); i++ {
		for _, b := range p.Component(i) {
			if b == 0 {
				dst = append(dst, 0, 1)
			} else {
				dst = append(dst, b)
			}
		}
		dst = append(dst, 0, 0)
	}
	return dst
}

// pathKeyComponentLen is the number of bytes appendPathKey writes for the
// component c.
func pathKeyComponentLen(c []byte) int {
	n := len(c) + 2
	for _, b := range c {
		if b == 0 {
			n++
		}
	}
	return n
}

// parsePathKey inverts appendPathKey.
func parsePathKey(b []byte) (path.Path, error) {
	var comps [][]byte
	var cur []byte
	for i := 0; i < len(b); i++ {
		if b[i] != 0 {
			cur = append(cur, b[i])
			continue
		}
		if i+1 >= len(b) {
			return path.Path{}, errCorrupt
		}
		i++
		switch b[i] {
		case 0:
			comps = append(comps, cur)
			cur = []byte{}
		case 1:
			cur = append(cur, 0)
		default:
			return path.Path{}, errCorrupt
		}
	}
	if len(cur) != 0 {
		return path.Path{}, errCorrupt
	}
	p, err := path.New(comps...)
	if err != nil {
		return path.Path{}, errCorrupt
	}
	return p, nil
}

// subspacePrefix is the entries-table prefix of one subspace.
func subspacePrefix(ns ids.NamespaceID, ss ids.SubspaceID) []byte {
	k := make([]byte, 0, 65+64)
	k = append(k, tableEntries)
	k = append(k, ns[:]...)
	return append(k, ss[:]...)
}

// entryKey is the entries-table key of (namespace, subspace, path).
func entryKey(ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) []byte {
	return appendPathKey(subspacePrefix(ns, ss), p)
}

// parseEntryKey splits an entries-table key.
func parseEntryKey(k []byte) (ids.NamespaceID, ids.SubspaceID, path.Path, error) {
	if len(k) < 65 || k[0] != tableEntries {
		return ids.NamespaceID{}, ids.SubspaceID{}, path.Path{}, errCorrupt
	}
	p, err := parsePathKey(k[65:])
	return ids.NamespaceID(k[1:33]), ids.SubspaceID(k[33:65]), p, err
}

// timeKey is the by-time index key of an entry.
func timeKey(e entry.Entry) []byte {
	k := make([]byte, 0, 73+e.Path.TotalLength()+2*e.Path.Len())
	k = append(k, tableByTime)
	k = append(k, e.NamespaceID[:]...)
	k = binary.BigEndian.AppendUint64(k, uint64(e.Timestamp))
	k = append(k, e.SubspaceID[:]...)
	return appendPathKey(k, e.Path)
}

// parseTimeKey returns the entries-table key a by-time key points to.
func parseTimeKey(k []byte) ([]byte, error) {
	if len(k) < 73 || k[0] != tableByTime {
		return nil, errCorrupt
	}
	out := make([]byte, 0, len(k)-8)
	out = append(out, tableEntries)
	out = append(out, k[1:33]...)
	return append(out, k[41:]...), nil
}

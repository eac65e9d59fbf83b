package store

import (
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
)

// A record is the value of an entries-table key: the entry fields the key
// does not hold, then the authorisation token's bytes.
//
//	standalone c64 timestamp ‖ standalone c64 payload length ‖ digest (32) ‖ token
func appendRecord(dst []byte, e entry.Entry, token []byte) []byte {
	dst = codec.AppendStandaloneCU64(dst, uint64(e.Timestamp))
	dst = codec.AppendStandaloneCU64(dst, e.PayloadLength)
	dst = append(dst, e.PayloadDigest[:]...)
	return append(dst, token...)
}

// parseRecord decodes a record for the entry at key.
func parseRecord(key, value []byte) (entry.Entry, []byte, error) {
	ns, ss, p, err := parseEntryKey(key)
	if err != nil {
		return entry.Entry{}, nil, err
	}
	d := codec.NewDecoder(value, codec.Relation)
	ts, err := d.StandaloneCU64("stored timestamp")
	if err != nil {
		return entry.Entry{}, nil, errCorrupt
	}
	length, err := d.StandaloneCU64("stored payload length")
	if err != nil {
		return entry.Entry{}, nil, errCorrupt
	}
	digest, err := d.Array32("stored payload digest")
	if err != nil {
		return entry.Entry{}, nil, errCorrupt
	}
	e := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: p, Timestamp: entry.Timestamp(ts),
		PayloadLength: length, PayloadDigest: ids.PayloadDigest(digest)}
	return e, d.Rest(), nil
}

package idbstore

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// The byte formats between Go and the JavaScript helper. Lengths are
// little-endian uint32, which the helper reads with a DataView.
//
//	batch:  op*            op   = kind:u8 (0 put, 1 delete) len:u32 key [len:u32 value if put]
//	scan:   flags:u8 [len:u32 lower] [len:u32 upper]
//	        flags: 1 has lower bound (inclusive), 2 has upper bound (exclusive), 4 reverse
//	page:   (len:u32 key len:u32 value)*
const (
	opPut    = 0
	opDelete = 1

	scanLower   = 1
	scanUpper   = 2
	scanReverse = 4
)

// batchSize is the encoded size of b.
func batchSize(b *kv.Batch) int {
	n := 0
	for _, op := range b.Ops() {
		n += 5 + len(op.Key)
		if !op.Delete {
			n += 4 + len(op.Value)
		}
	}
	return n
}

// appendBatch appends the encoding of b to dst.
func appendBatch(dst []byte, b *kv.Batch) ([]byte, error) {
	for i, op := range b.Ops() {
		if len(op.Key) > math.MaxUint32 || len(op.Value) > math.MaxUint32 {
			return nil, wrap.New("idbstore: batch op " + wrap.Num(i) + ": key or value longer than 4 GiB")
		}
		if op.Delete {
			dst = append(dst, opDelete)
			dst = appendBytes(dst, op.Key)
			continue
		}
		dst = append(dst, opPut)
		dst = appendBytes(dst, op.Key)
		dst = appendBytes(dst, op.Value)
	}
	return dst, nil
}

// appendScan appends the encoding of a scan request to dst. An empty lower
// bound is no bound (the empty key is the least key); callers handle an
// empty upper bound (an empty range) before asking.
func appendScan(dst []byte, r kv.Range, reverse bool) []byte {
	var flags byte
	if len(r.Start) > 0 {
		flags |= scanLower
	}
	if r.End != nil {
		flags |= scanUpper
	}
	if reverse {
		flags |= scanReverse
	}
	dst = append(dst, flags)
	if flags&scanLower != 0 {
		dst = appendBytes(dst, r.Start)
	}
	if flags&scanUpper != 0 {
		dst = appendBytes(dst, r.End)
	}
	return dst
}

// emptyRange reports whether r holds no key at all, so that a scan need not
// ask IndexedDB (whose IDBKeyRange.bound refuses lower ≥ upper).
func emptyRange(r kv.Range) bool {
	if r.End == nil {
		return false
	}
	return len(r.End) == 0 || string(r.Start) >= string(r.End)
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(b)))
	return append(dst, b...)
}

// decodePage splits a page into pairs. The pairs share buf, each slice
// capped at its own length so that appending to one cannot overwrite
// another.
func decodePage(buf []byte) ([]kv.Pair, error) {
	var out []kv.Pair
	for len(buf) > 0 {
		var k, v []byte
		var err error
		if k, buf, err = cutBytes(buf); err != nil {
			return nil, wrap.Prefix("idbstore: page pair "+wrap.Num(len(out))+" key", err)
		}
		if v, buf, err = cutBytes(buf); err != nil {
			return nil, wrap.Prefix("idbstore: page pair "+wrap.Num(len(out))+" value", err)
		}
		out = append(out, kv.Pair{Key: k, Value: v})
	}
	return out, nil
}

var errTruncated = errors.New("truncated")

func cutBytes(buf []byte) (b, rest []byte, err error) {
	if len(buf) < 4 {
		return nil, nil, errTruncated
	}
	n := binary.LittleEndian.Uint32(buf)
	buf = buf[4:]
	if uint64(n) > uint64(len(buf)) {
		return nil, nil, errTruncated
	}
	return buf[:n:n], buf[n:], nil
}

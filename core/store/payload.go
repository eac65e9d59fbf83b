package store

import (
	"encoding/binary"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Payloads are content-addressed by (digest, length): entries with the same
// payload share its bytes. A reference count per payload key records how many
// stored entries use it; payload bytes go when the last entry does.
//
//	03 ‖ 'r' ‖ digest ‖ length (8, BE)              → reference count (8, BE)
//	03 ‖ 'd' ‖ digest ‖ length (8, BE) ‖ block (8)  → the payload's bab layout (payloadbackend.go)
//	03 ‖ 'p' ‖ digest ‖ length (8, BE)              → pending marker
//
// Payloads up to stagedPayloadLimit are staged in the transaction like
// entries. Larger payload bytes are verified before they are written
// (bab.Storage), so they are safe to write straight to the backend, outside
// the transaction's overlay: memory stays bounded however large the payload.
// A transaction that
// writes data for a payload nobody referenced first sets its pending marker;
// commit clears it, a failed transaction deletes the data, and Open cleans up
// after a crash. Data added to a payload that committed entries already
// reference stays even if the transaction fails: it is verified against their
// digest.
const (
	payloadRefs    = 'r'
	payloadData    = 'd'
	payloadPending = 'p'
)

func payloadKey(kind byte, e entry.Entry) []byte {
	k := make([]byte, 0, 42)
	k = append(k, tablePayload, kind)
	k = append(k, e.PayloadDigest[:]...)
	return binary.BigEndian.AppendUint64(k, e.PayloadLength)
}

// payloadRefs stages reference-count changes: one more for added, one less
// for each of removed, deleting payload data that nobody references.
func (t *Txn) payloadRefs(removed []entry.Entry, added ...entry.Entry) error {
	var b kv.Batch
	change := func(e entry.Entry, delta int64) error {
		k := payloadKey(payloadRefs, e)
		v, ok, err := t.ov.Get(k)
		if err != nil {
			return wrap.Prefix("store: read payload references", err)
		}
		var n uint64
		if ok {
			if len(v) != 8 {
				return ErrCorrupt
			}
			n = binary.BigEndian.Uint64(v)
		}
		n = uint64(int64(n) + delta)
		if n == 0 || int64(n) < 0 {
			b.Delete(k)
			return t.deletePayloadData(&b, e)
		}
		b.PutOwned(k, binary.BigEndian.AppendUint64(nil, n)) // both fresh
		// Apply now so that a later change to the same payload in this call sees it.
		if err := t.ov.Apply(&b); err != nil {
			return err
		}
		b.Reset()
		return nil
	}
	for _, e := range removed {
		if err := change(e, -1); err != nil {
			return err
		}
	}
	for _, e := range added {
		if err := change(e, +1); err != nil {
			return err
		}
	}
	return t.ov.Apply(&b)
}

// deletePayloadData stages the removal of every data key of e's payload.
func (t *Txn) deletePayloadData(b *kv.Batch, e entry.Entry) error {
	it := kv.NewIterator(t.ov, kv.PrefixRange(payloadKey(payloadData, e)), false, 0)
	for it.Next() {
		b.Delete(it.Pair().Key)
	}
	if err := it.Err(); err != nil {
		return wrap.Prefix("store: scan payload data", err)
	}
	if err := t.ov.Apply(b); err != nil {
		return err
	}
	b.Reset()
	return nil
}

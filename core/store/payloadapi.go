package store

import (
	"encoding/binary"
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// stagedPayloadLimit is the largest payload layout staged in a transaction's
// overlay (in memory until commit); larger payloads stream to the backend.
const stagedPayloadLimit = 256 << 10

// ErrNoEntry: a payload operation named an entry the store does not hold.
var ErrNoEntry = errors.New("store: no such entry")

// PayloadState says how much of an entry's payload the store holds.
type PayloadState uint8

// The payload states.
const (
	PayloadNone     PayloadState = iota // no byte of it
	PayloadPartial                      // some chunks (see Slices)
	PayloadComplete                     // all of it
)

// String names the state.
func (s PayloadState) String() string { return [...]string{"none", "partial", "complete"}[s] }

// PayloadInfo describes the payload bytes the store holds for an entry.
type PayloadInfo struct {
	State  PayloadState
	Slices []bab.Slice // the chunk ranges held, in order
}

// openPayload returns the bab.Storage of e's payload in the backend r (reads
// only) and its backend for flushing.
func openPayload(r kv.Store, e entry.Entry) (*bab.Storage, *payloadBackend, error) {
	size, err := bab.LayoutSize(e.PayloadLength)
	if err != nil {
		return nil, nil, wrap.Prefix("store: payload of "+wrap.Num(e.PayloadLength)+" bytes", err)
	}
	pb := newPayloadBackend(r, payloadKey(payloadData, e), size)
	st, err := bab.OpenStorage(pb, bab.Digest(e.PayloadDigest), e.PayloadLength)
	if err != nil {
		return nil, nil, wrap.Prefix("store: open payload", err)
	}
	return st, pb, nil
}

// payloadInfo reads the state of e's payload.
func payloadInfo(r kv.Store, e entry.Entry) (PayloadInfo, error) {
	if e.PayloadLength == 0 {
		return PayloadInfo{State: PayloadComplete, Slices: []bab.Slice{bab.FullSlice(0)}}, nil
	}
	st, _, err := openPayload(r, e)
	if err != nil {
		return PayloadInfo{}, err
	}
	slices, err := st.Slices()
	if err != nil {
		return PayloadInfo{}, wrap.Prefix("store: payload state", err)
	}
	info := PayloadInfo{Slices: slices}
	switch {
	case len(slices) == 0:
		info.State = PayloadNone
	case len(slices) == 1 && slices[0] == bab.FullSlice(e.PayloadLength):
		info.State = PayloadComplete
	default:
		info.State = PayloadPartial
	}
	return info, nil
}

// Payload returns the state of the payload of the entry at (ns, ss, p).
func (s *Store) Payload(ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) (PayloadInfo, error) {
	st, ok, err := s.Get(ns, ss, p)
	if err != nil {
		return PayloadInfo{}, err
	}
	if !ok {
		return PayloadInfo{}, wrap.Detail(ErrNoEntry, p.String())
	}
	return payloadInfo(s.backend, st.Entry)
}

// PayloadStorage returns the bab.Storage holding e's payload, for reading
// slices and slice streams (it is a drop.Payload). Writes must go through a
// Txn.
func (s *Store) PayloadStorage(e entry.Entry) (*bab.Storage, error) {
	st, _, err := openPayload(s.backend, e)
	return st, err
}

// ReadPayload writes bytes [from, to) of the payload of e to w. Every chunk
// overlapping the range must be held (otherwise bab.ErrMissingData).
func (s *Store) ReadPayload(e entry.Entry, from, to uint64, w io.Writer) error {
	if from > to || to > e.PayloadLength {
		return wrap.Prefix("store: payload range ["+wrap.Num(from)+", "+wrap.Num(to)+") of "+wrap.Num(e.PayloadLength)+" bytes", bab.ErrInvalidSlice)
	}
	if from == to {
		return nil
	}
	st, _, err := openPayload(s.backend, e)
	if err != nil {
		return err
	}
	var buf []byte
	for i := from / bab.ChunkSize; i*bab.ChunkSize < to; i++ {
		if buf, err = st.ReadChunk(i, buf); err != nil {
			return wrap.Prefix("store: read payload of "+e.Path.String(), err)
		}
		lo, hi := i*bab.ChunkSize, i*bab.ChunkSize+uint64(len(buf))
		chunk := buf[max(from, lo)-lo : min(to, hi)-lo]
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	return nil
}

// IngestSlice verifies the slice stream read from r (slice sl under options
// o) against e's digest and stores its chunks. e must be stored or staged in
// this transaction; if it is not (say, obsolete), the stream is verified and
// dropped.
func (t *Txn) IngestSlice(e entry.Entry, sl bab.Slice, o bab.Options, r io.Reader) error {
	if t.done {
		return ErrTxnDone
	}
	st, ok, err := t.Get(e.NamespaceID, e.SubspaceID, e.Path)
	if err != nil {
		return err
	}
	if !ok || !st.Entry.Equal(e) {
		return verifyOnly(e, sl, o, r)
	}
	if e.PayloadLength == 0 {
		return verifyOnly(e, sl, o, r)
	}
	// Small payloads are staged with the entries and commit atomically with
	// them; large ones stream to the backend under a pending marker.
	var target kv.Store = t.ov
	if size, _ := bab.LayoutSize(e.PayloadLength); size > stagedPayloadLimit {
		if err := t.markPending(e); err != nil {
			return err
		}
		target = t.store.backend
	}
	storage, pb, err := openPayload(target, e)
	if err != nil {
		return err
	}
	ingestErr := storage.IngestSlice(r, sl, o)
	// Verified chunks are written even when the stream fails later on.
	if err := pb.Flush(); err != nil {
		return err
	}
	if ingestErr != nil {
		return wrap.Prefix("store: payload of "+e.Path.String(), ingestErr)
	}
	t.events = append(t.events, Event{Kind: PayloadChanged, Entry: e})
	return nil
}

// WritePayload stores the complete payload of e, read from r (exactly
// e.PayloadLength bytes, checked against the digest).
func (t *Txn) WritePayload(e entry.Entry, r io.Reader) error {
	return t.IngestSlice(e, bab.FullSlice(e.PayloadLength), bab.Options{K: bab.GroupedAll}, r)
}

// verifyOnly checks a slice stream without storing it.
func verifyOnly(e entry.Entry, sl bab.Slice, o bab.Options, r io.Reader) error {
	if o.LeftSkip > 0 || o.RightSkip > 0 {
		// Skipped labels would come from a storage we do not have; the
		// caller (a drop ingest) reads the stream for consistency only.
		_, err := io.Copy(io.Discard, r)
		return err
	}
	// Deferred mode: chunks are hashed and dropped, never buffered.
	v, err := bab.NewVerifier(bab.VerifierConfig{Digest: bab.Digest(e.PayloadDigest), Length: e.PayloadLength, Slice: sl, Options: o,
		OnPending: func(uint64, []byte) error { return nil }})
	if err == nil {
		if _, err = io.Copy(v, r); err == nil {
			err = v.Close()
		}
	}
	if err != nil {
		return wrap.Prefix("store: payload of "+e.Path.String(), err)
	}
	return nil
}

// markPending sets the pending marker of e's payload, directly in the
// backend, unless committed entries reference the payload or this
// transaction marked it already.
func (t *Txn) markPending(e entry.Entry) error {
	key := string(payloadKey(payloadPending, e))
	if _, ok := t.pending[key]; ok {
		return nil
	}
	if _, ok, err := t.store.backend.Get(payloadKey(payloadRefs, e)); err != nil {
		return wrap.Prefix("store: read payload references", err)
	} else if ok {
		return nil // committed entries use it: data added stays valid
	}
	var b kv.Batch
	b.Put([]byte(key), nil)
	if err := t.store.backend.Apply(&b); err != nil {
		return wrap.Prefix("store: mark payload pending", err)
	}
	if t.pending == nil {
		t.pending = map[string]entry.Entry{}
	}
	t.pending[key] = e
	return nil
}

// settlePending runs after a transaction ends: committed, it clears the
// markers (and deletes data nobody references after all); failed, it deletes
// the data written and the markers.
func (s *Store) settlePending(pending map[string]entry.Entry, committed bool) error {
	if len(pending) == 0 {
		return nil
	}
	var b kv.Batch
	for key, e := range pending {
		referenced := false
		if committed {
			_, ok, err := s.backend.Get(payloadKey(payloadRefs, e))
			if err != nil {
				return err
			}
			referenced = ok
		}
		if !referenced {
			if err := deleteData(s.backend, &b, e); err != nil {
				return err
			}
		}
		b.Delete([]byte(key))
	}
	return s.backend.Apply(&b)
}

// deleteData adds the deletion of every data block of e's payload to b.
func deleteData(r kv.Store, b *kv.Batch, e entry.Entry) error {
	it := kv.NewIterator(r, kv.PrefixRange(payloadKey(payloadData, e)), false, 0)
	for it.Next() {
		b.Delete(it.Pair().Key)
	}
	if err := it.Err(); err != nil {
		return wrap.Prefix("store: scan payload data", err)
	}
	return nil
}

// recoverPending cleans up after transactions a crash interrupted.
func (s *Store) recoverPending() error {
	it := kv.NewIterator(s.backend, kv.PrefixRange([]byte{tablePayload, payloadPending}), false, 0)
	pending := map[string]entry.Entry{}
	for it.Next() {
		k := it.Pair().Key
		if len(k) != 42 {
			return wrap.Prefix("store: pending marker", ErrCorrupt)
		}
		pending[string(k)] = entry.Entry{PayloadDigest: ids.PayloadDigest(k[2:34]), PayloadLength: binary.BigEndian.Uint64(k[34:])}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return s.settlePending(pending, true)
}

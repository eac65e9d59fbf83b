package jsbridge

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/store"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Payload and drop op codes (see wasm/PROTOCOL.md).
const (
	OpInspectDrop       = 0x50
	OpStoreWritePayload = 0x8b
	OpStoreReadPayload  = 0x8c
	OpStorePayloadInfo  = 0x8d
	OpCreateDrop        = 0x90
	OpDropRead          = 0x91
	OpDropClose         = 0x92
	OpIngestDropBegin   = 0x93
	OpIngestDropWrite   = 0x94
	OpIngestDropEnd     = 0x95
	OpIngestDropAbort   = 0x96
)

// createdDrop is a drop written by CreateDrop, served in chunks.
type createdDrop struct {
	data []byte
	pos  int
}

// errAborted ends a drop ingest that JavaScript aborted.
var errAborted = errors.New("drop ingest aborted")

// abortSignal is the store.Canceller of a drop operation: after set, Err
// reports errAborted. (Not a context.Context: package context would bring
// time formatting into the module.)
type abortSignal struct {
	mu      sync.Mutex
	aborted bool
}

func (a *abortSignal) set() {
	a.mu.Lock()
	a.aborted = true
	a.mu.Unlock()
}

// Err reports errAborted once set was called.
func (a *abortSignal) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.aborted {
		return errAborted
	}
	return nil
}

// dropIngest is a drop being ingested: JavaScript writes chunks into the
// pipe, a goroutine runs store.IngestDrop on the other end.
type dropIngest struct {
	pw     *io.PipeWriter
	abort  *abortSignal
	done   chan struct{}
	result store.DropResult
	err    error

	mu       sync.Mutex
	progress store.DropProgress
}

// dropOp runs the drop ops that do not hold a store's lock themselves.
func (b *Bridge) dropOp(op byte, r *Reader, w *Writer) error {
	h := r.Uvarint("session")
	if r.Err() != nil {
		return r.Err()
	}
	b.mu.Lock()
	created, ingest := b.created[h], b.ingests[h]
	b.mu.Unlock()
	switch op {
	case OpDropRead:
		max := int(r.Uvarint("chunk size"))
		if err := r.Done(); err != nil {
			return err
		}
		if created == nil {
			return errorf(CodeNoSuchHandle, "no drop "+strconv.FormatUint(h, 10))
		}
		if max <= 0 {
			max = 64 << 10
		}
		n := min(max, len(created.data)-created.pos)
		w.Bytes(created.data[created.pos : created.pos+n])
		created.pos += n
		more := created.pos < len(created.data)
		w.Bool(more)
		if !more {
			b.forget(h)
		}
		return nil
	case OpDropClose:
		if err := r.Done(); err != nil {
			return err
		}
		b.forget(h)
		return nil
	}
	if ingest == nil {
		return errorf(CodeNoSuchHandle, "no drop ingest "+strconv.FormatUint(h, 10))
	}
	switch op {
	case OpIngestDropWrite:
		chunk := r.Bytes("chunk")
		if err := r.Done(); err != nil {
			return err
		}
		if _, err := ingest.pw.Write(chunk); err != nil {
			<-ingest.done
			b.forget(h)
			if ingest.err != nil {
				return ingest.err
			}
			return err
		}
		ingest.mu.Lock()
		p := ingest.progress
		ingest.mu.Unlock()
		w.Uvarint(uint64(p.Items))
		w.U64(uint64(p.Bytes))
		return nil
	case OpIngestDropEnd, OpIngestDropAbort:
		if err := r.Done(); err != nil {
			return err
		}
		if op == OpIngestDropAbort {
			ingest.abort.set()
			ingest.pw.CloseWithError(errAborted)
		} else {
			ingest.pw.Close()
		}
		<-ingest.done
		b.forget(h)
		if op == OpIngestDropAbort {
			return nil
		}
		if ingest.err != nil {
			return ingest.err
		}
		res := ingest.result
		for _, n := range []int{res.Items, res.Inserted, res.Obsolete, res.AlreadyPresent, res.Pruned} {
			w.Uvarint(uint64(n))
		}
		w.U64(res.PayloadBytes)
		w.U64(uint64(res.Bytes))
		return nil
	}
	return errorf(CodeUnknownOp, "unknown drop op")
}

func (b *Bridge) forget(h uint64) {
	b.mu.Lock()
	delete(b.created, h)
	delete(b.ingests, h)
	b.mu.Unlock()
}

// payloadOrDropOp runs the store ops about payloads and drops; sh.mu is held.
func (b *Bridge) payloadOrDropOp(op byte, sh *storeHandle, r *Reader, w *Writer) error {
	switch op {
	case OpStoreWritePayload:
		e := r.Entry("entry")
		payload := r.Bytes("payload")
		if err := r.Done(); err != nil {
			return err
		}
		st, ok, err := sh.s.Get(e.NamespaceID, e.SubspaceID, e.Path)
		if err != nil {
			return err
		}
		if !ok || !st.Entry.Equal(e) {
			return errorf(CodeNoSuchEntry, "the store does not hold this entry")
		}
		if uint64(len(payload)) != e.PayloadLength {
			return errorf(CodePayloadMismatch, "payload has "+strconv.Itoa(len(payload))+" bytes, the entry says "+strconv.FormatUint(e.PayloadLength, 10))
		}
		defer sh.holdExclusive()()
		txn := sh.s.Begin()
		defer txn.Discard() //nolint:errcheck // a failed write keeps nothing
		if err := txn.WritePayload(e, bytes.NewReader(payload)); err != nil {
			return err
		}
		return txn.Commit()
	case OpStoreReadPayload, OpStorePayloadInfo:
		ns := ids.NamespaceID(r.Array32("namespace id"))
		ss := ids.SubspaceID(r.Array32("subspace id"))
		p := r.Path("path")
		var from, to uint64
		if op == OpStoreReadPayload {
			from, to = r.U64("from"), r.U64("to")
		}
		if err := r.Done(); err != nil {
			return err
		}
		st, ok, err := sh.s.Get(ns, ss, p)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(CodeNoSuchEntry, "no entry at "+p.String())
		}
		if op == OpStorePayloadInfo {
			info, err := sh.s.Payload(ns, ss, p)
			if err != nil {
				return err
			}
			w.U8(byte(info.State))
			w.Uvarint(uint64(len(info.Slices)))
			for _, s := range info.Slices {
				w.U64(s.Start)
				w.U64(s.Count)
			}
			return nil
		}
		to = min(to, st.Entry.PayloadLength)
		if from > to {
			return errorf(CodeInvalidArgument, "payload range starts after its end")
		}
		var buf bytes.Buffer
		buf.Grow(int(to - from))
		if err := sh.s.ReadPayload(st.Entry, from, to, &buf); err != nil {
			return err
		}
		w.Bytes(buf.Bytes())
		return nil
	case OpCreateDrop:
		n := r.Count("count", 33)
		areas := make([]store.NamespacedArea, n)
		for i := range areas {
			areas[i].Namespace = ids.NamespaceID(r.Array32("namespace id"))
			areas[i].Area = r.Area("area")
		}
		withoutPayloads := r.Bool("without payloads")
		if err := r.Done(); err != nil {
			return err
		}
		var buf bytes.Buffer
		items, err := sh.s.CreateDrop(&abortSignal{}, &buf, areas, store.CreateDropOptions{WithoutPayloads: withoutPayloads})
		if err != nil {
			return err
		}
		b.mu.Lock()
		h := b.handle()
		b.created[h] = &createdDrop{data: buf.Bytes()}
		b.mu.Unlock()
		w.Uvarint(h)
		w.Uvarint(uint64(items))
		w.U64(uint64(buf.Len()))
		return nil
	case OpIngestDropBegin:
		if err := r.Done(); err != nil {
			return err
		}
		pr, pw := io.Pipe()
		ctx := &abortSignal{}
		in := &dropIngest{pw: pw, abort: ctx, done: make(chan struct{})}
		b.mu.Lock()
		h := b.handle()
		b.ingests[h] = in
		b.mu.Unlock()
		// The ingest takes the store's lock itself once this op has returned
		// it: other ops on the store wait until the drop is in.
		go func() {
			defer close(in.done)
			defer func() {
				if p := recover(); p != nil {
					in.err = errorf(CodeInternal, "panic in drop ingest: "+wrap.Describe(p))
					pr.CloseWithError(in.err)
				}
			}()
			sh.mu.Lock()
			defer func() {
				b.flush(sh)
				sh.mu.Unlock()
			}()
			defer sh.holdExclusive()()
			in.result, in.err = sh.s.IngestDrop(ctx, pr, store.IngestDropOptions{OnProgress: func(p store.DropProgress) {
				in.mu.Lock()
				in.progress = p
				in.mu.Unlock()
			}})
			if in.err == nil && ctx.Err() != nil {
				in.err = ctx.Err()
			}
			pr.CloseWithError(errDropEnded(in.err))
		}()
		w.Uvarint(h)
		return nil
	}
	return errorf(CodeUnknownOp, "unknown store op "+strconv.Itoa(int(op)))
}

// errDropEnded is what writers into a finished ingest get.
func errDropEnded(err error) error {
	if err != nil {
		return err
	}
	return errorf(CodeTrailingBytes, "the drop ended before all bytes were written")
}

// opInspectDrop decodes a whole drop: uvarint n ‖ n × item, where an item is
// uvarint index ‖ u64 offset ‖ entry ‖ bytes token ‖ u8 authorised ‖
// (not authorised: string code ‖ string message) ‖ uvarint m ‖ m × (u64
// start chunk ‖ u64 chunk count). A structural error or a payload mismatch
// fails the op.
func opInspectDrop(r *Reader, w *Writer) error {
	data := r.Bytes("drop")
	if err := r.Done(); err != nil {
		return err
	}
	var items Writer
	n := 0
	err := drop.Inspect(bytes.NewReader(data), func(in drop.Inspected) error {
		n++
		items.Uvarint(uint64(in.Item.Index))
		items.U64(uint64(in.Item.Offset))
		items.Entry(in.Item.Entry)
		if err := items.tokenCode(in.Item.Token); err != nil {
			return err
		}
		items.Bool(in.Authorised)
		if !in.Authorised {
			e := ToError(in.AuthError)
			items.String(e.Code)
			items.String(e.Message)
		}
		items.Uvarint(uint64(len(in.Slices)))
		for _, s := range in.Slices {
			items.U64(s.Start)
			items.U64(s.Count)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.Uvarint(uint64(n))
	w.Raw(items.Buf)
	return nil
}

// dropCode maps drop and payload errors to codes, or returns "".
func dropCode(err error) string {
	for _, k := range []struct {
		kind error
		code string
	}{
		{drop.ErrBadHeader, CodeDropMalformed},
		{drop.ErrTruncated, CodeTruncated},
		{drop.ErrTrailingBytes, CodeTrailingBytes},
		{drop.ErrBadSlice, CodeDropMalformed},
		{drop.ErrTooLarge, CodeDropMalformed},
		{drop.ErrUnauthorised, CodeDropUnauthorised},
		{drop.ErrPayload, CodePayloadMismatch},
		{errAborted, CodeAborted},
		{store.ErrNoEntry, CodeNoSuchEntry},
		{bab.ErrMissingData, CodePayloadMissing},
		{bab.ErrInvalidSlice, CodeInvalidArgument},
		{bab.ErrLabelMismatch, CodePayloadMismatch},
		{bab.ErrChunkMismatch, CodePayloadMismatch},
		{bab.ErrStreamTooShort, CodePayloadMismatch},
		{bab.ErrStreamTooLong, CodePayloadMismatch},
	} {
		if errors.Is(err, k.kind) {
			return k.code
		}
	}
	return ""
}

package store

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/internal/wrap"
)

// DropProgress reports how far an ingest or creation got.
type DropProgress struct {
	Items int   // items processed
	Bytes int64 // drop bytes read or written
}

// IngestDropOptions tune IngestDrop. The zero value is fine.
type IngestDropOptions struct {
	// OnProgress, if set, is called after every item.
	OnProgress func(DropProgress)
}

// DropResult sums up an ingested drop.
type DropResult struct {
	Items          int
	Inserted       int
	Obsolete       int
	AlreadyPresent int
	Pruned         int
	PayloadBytes   uint64 // payload bytes carried by the drop's slices
	Bytes          int64  // length of the drop
}

// Canceller is what IngestDrop and CreateDrop consult between items: they
// stop with its Err once that is non-nil. A context.Context is one; taking
// only this method keeps package context, and with it time formatting, out
// of the WebAssembly module.
type Canceller interface {
	Err() error
}

// IngestDrop joins the drop read from r into the store, atomically: every
// token is checked (strict Meadowcap), every payload slice verified against
// its entry's digest, and any problem (malformed bytes, an unauthorised
// entry, wrong payload bytes, trailing garbage, cancellation, a full backend)
// leaves the store as it was and returns an error that names the item and
// byte offset (a *drop.Error where the drop is at fault). Entries are staged
// in memory (about their encoded size each); payload bytes stream to the
// backend as they are verified.
func (s *Store) IngestDrop(ctx Canceller, r io.Reader, opts IngestDropOptions) (DropResult, error) {
	var res DropResult
	txn := s.Begin()
	defer txn.Discard() //nolint:errcheck // a failed ingest keeps nothing
	dr := drop.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return DropResult{}, wrap.Prefix("store: ingest drop: item "+wrap.Num(res.Items), err)
		}
		item, err := dr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return DropResult{}, err
		}
		ae, err := meadowcap.NewAuthorisedEntry(item.Entry, item.Token)
		if err != nil {
			return DropResult{}, &drop.Error{Item: item.Index, Offset: item.Offset, Err: wrap.Both(drop.ErrUnauthorised, err)}
		}
		ir, err := txn.Ingest(ae)
		if err != nil {
			return DropResult{}, wrap.Prefix("store: ingest drop: item "+wrap.Num(item.Index), err)
		}
		switch ir.Outcome {
		case Inserted:
			res.Inserted++
			res.Pruned += len(ir.Pruned)
		case Obsolete:
			res.Obsolete++
		case AlreadyPresent:
			res.AlreadyPresent++
		}
		if ir.Outcome == Obsolete {
			slices, err := dr.VerifySlices()
			if err != nil {
				return DropResult{}, err
			}
			for _, sl := range slices {
				res.PayloadBytes += sl.Bytes(item.Entry.PayloadLength)
			}
		} else {
			for {
				sl, stream, err := dr.NextSlice()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return DropResult{}, err
				}
				at := dr.Offset()
				if err := txn.IngestSlice(item.Entry, sl.Chunks, sl.Options, stream); err != nil {
					var de *drop.Error
					if errors.As(err, &de) || !isPayloadFault(err) {
						return DropResult{}, err
					}
					return DropResult{}, &drop.Error{Item: item.Index, Offset: at, Err: wrap.Both(drop.ErrPayload, err)}
				}
				res.PayloadBytes += sl.Chunks.Bytes(item.Entry.PayloadLength)
			}
		}
		res.Items++
		if opts.OnProgress != nil {
			opts.OnProgress(DropProgress{Items: res.Items, Bytes: dr.Offset()})
		}
	}
	res.Bytes = dr.Offset()
	if err := txn.Commit(); err != nil {
		return DropResult{}, err
	}
	return res, nil
}

// isPayloadFault tells whether an IngestSlice error blames the stream's bytes
// (rather than the backend).
func isPayloadFault(err error) bool {
	var se *bab.StreamError
	return errors.As(err, &se)
}

// NamespacedArea is an area of one namespace.
type NamespacedArea struct {
	Namespace ids.NamespaceID
	Area      grouping.Area
}

// CreateDropOptions tune CreateDrop. The zero value is fine.
type CreateDropOptions struct {
	// OnProgress, if set, is called after every item.
	OnProgress func(DropProgress)
	// WithoutPayloads leaves all payload bytes out (slice mode 00).
	WithoutPayloads bool
}

// CreateDrop writes a drop of every entry in the given areas (each entry
// once, however many areas include it), with every payload byte the store
// holds for them, to w. Entries go out grouped by namespace, subspace and
// path, which keeps the relative encodings short. It returns the number of
// items written.
func (s *Store) CreateDrop(ctx Canceller, w io.Writer, areas []NamespacedArea, opts CreateDropOptions) (int, error) {
	cw := &countingWriter{w: w}
	dw := drop.NewWriter(cw)
	seen := map[string]bool{}
	for _, na := range areas {
		var sts []Stored
		if err := s.Each(Query{Namespace: na.Namespace, Area: na.Area}, func(st Stored) bool {
			k := string(entryKey(st.Entry.NamespaceID, st.Entry.SubspaceID, st.Entry.Path))
			if !seen[k] {
				seen[k] = true
				sts = append(sts, st)
			}
			return true
		}); err != nil {
			return dw.Items(), err
		}
		for _, st := range sts {
			if err := ctx.Err(); err != nil {
				return dw.Items(), wrap.Prefix("store: create drop", err)
			}
			ae, err := st.Authorised()
			if err != nil {
				return dw.Items(), err
			}
			var p drop.Payload
			switch e := st.Entry; {
			case opts.WithoutPayloads:
			case e.PayloadLength == 0:
				p = drop.BytesPayload{}
			default:
				if p, err = s.PayloadStorage(e); err != nil {
					return dw.Items(), err
				}
			}
			if err := dw.Add(ae, p); err != nil {
				return dw.Items(), err
			}
			if opts.OnProgress != nil {
				opts.OnProgress(DropProgress{Items: dw.Items(), Bytes: cw.n})
			}
		}
	}
	return dw.Items(), dw.Close()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

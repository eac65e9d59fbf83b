package jsbridge

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/store"
	"github.com/willow-web/willow-web/core/uri"
)

// Willow URI ops (see wasm/PROTOCOL.md). Parsing and formatting happen here,
// in core/uri, never in JavaScript: the WHATWG URL parser of browsers and
// Node resolves %2E%2E and trailing ".." differently from the Willow URI
// spec.
const (
	OpURIParse     = 0x36
	OpURIFormat    = 0x37
	OpStoreResolve = 0x99
)

// More stable error codes (see errors.go).
const (
	// CodeInvalidURI: a string is not a Willow URI, or a URI value has no
	// canonical code (empty hint, count 0, …); the message says why and where.
	CodeInvalidURI = "invalid_uri"
	// CodeNotFound: the store holds no entry at a URI's namespace, subspace and path.
	CodeNotFound = "not_found"
	// CodeOverwritten: the store holds an entry at the URI's path, but with
	// another payload digest than the URI names.
	CodeOverwritten = "overwritten"
	// CodeMissingData: the store lacks some of the payload bytes a URI selects.
	CodeMissingData = "missing_data"
)

// URI kinds on the wire.
const (
	uriKindEntry = 0
	uriKindArea  = 1
)

// uriError maps errors of core/uri and URI resolution to codes.
func uriError(err error) error {
	var ue *uri.Error
	switch {
	case errors.As(err, &ue):
		return errorf(CodeInvalidURI, err.Error())
	case errors.Is(err, store.ErrNotFound):
		return errorf(CodeNotFound, err.Error())
	case errors.Is(err, store.ErrOverwritten):
		return errorf(CodeOverwritten, err.Error())
	case errors.Is(err, bab.ErrMissingData):
		return errorf(CodeMissingData, err.Error())
	}
	return err
}

// A URI on the wire:
//
//	u8 kind ‖ id namespace ‖ id subspace ‖ path ‖
//	  entry: bool has digest ‖ (id digest) ‖ bool has from ‖ (u64 from) ‖ bool has to ‖ (u64 to)
//	  area:  times ‖ u64 max count ‖ u64 max size
//	‖ uvarint n ‖ n × string hint ‖ bool has fragment ‖ (string fragment, fragment-encoded)
func writeURI(w *Writer, u uri.URI) {
	var hints []string
	var frag string
	var hasFrag bool
	switch v := u.(type) {
	case uri.EntryURI:
		w.U8(uriKindEntry)
		w.Raw(v.Namespace[:])
		w.Raw(v.Subspace[:])
		w.Path(v.Path)
		w.Bool(v.HasDigest)
		if v.HasDigest {
			w.Raw(v.Digest[:])
		}
		w.Bool(v.Range.HasFrom)
		if v.Range.HasFrom {
			w.U64(v.Range.From)
		}
		w.Bool(v.Range.HasTo)
		if v.Range.HasTo {
			w.U64(v.Range.To)
		}
		hints, frag, hasFrag = v.Hints, v.Fragment, v.HasFragment
	case uri.AreaURI:
		w.U8(uriKindArea)
		w.Raw(v.Namespace[:])
		w.Raw(v.Subspace[:])
		w.Path(v.Path)
		w.TimeRange(v.Times)
		w.U64(v.MaxCount)
		w.U64(v.MaxSize)
		hints, frag, hasFrag = v.Hints, v.Fragment, v.HasFragment
	}
	w.Uvarint(uint64(len(hints)))
	for _, h := range hints {
		w.String(h)
	}
	w.Bool(hasFrag)
	if hasFrag {
		w.String(frag)
	}
}

func (r *Reader) uri() uri.URI {
	kind := r.U8("uri kind")
	ns := ids.NamespaceID(r.Array32("namespace id"))
	ss := ids.SubspaceID(r.Array32("subspace id"))
	p := r.Path("uri path")
	switch kind {
	case uriKindEntry:
		u := uri.EntryURI{Namespace: ns, Subspace: ss, Path: p}
		if u.HasDigest = r.Bool("has digest"); u.HasDigest {
			u.Digest = ids.PayloadDigest(r.Array32("digest"))
		}
		if u.Range.HasFrom = r.Bool("has from"); u.Range.HasFrom {
			u.Range.From = r.U64("from")
		}
		if u.Range.HasTo = r.Bool("has to"); u.Range.HasTo {
			u.Range.To = r.U64("to")
		}
		u.Hints, u.Fragment, u.HasFragment = r.uriTail()
		return u
	case uriKindArea:
		a := uri.AreaURI{Namespace: ns, Subspace: ss, Path: p}
		a.Times = r.TimeRange("uri times")
		a.MaxCount, a.MaxSize = r.U64("max count"), r.U64("max size")
		a.Hints, a.Fragment, a.HasFragment = r.uriTail()
		return a
	}
	r.FailWith(CodeInvalidArgument, "unknown uri kind "+strconv.Itoa(int(kind)))
	return nil
}

func (r *Reader) uriTail() (hints []string, frag string, has bool) {
	n := r.Count("hint count", 1)
	for range n {
		hints = append(hints, r.String("hint"))
	}
	if has = r.Bool("has fragment"); has {
		frag = r.String("fragment")
	}
	return hints, frag, has
}

// opURIParse: string → uri (values as written; dot-segments resolved).
func opURIParse(r *Reader, w *Writer) error {
	s := r.String("uri")
	if err := r.Done(); err != nil {
		return err
	}
	u, err := uri.Parse(s)
	if err != nil {
		return uriError(err)
	}
	writeURI(w, u)
	return nil
}

// opURIFormat: uri → string (the canonical code).
func opURIFormat(r *Reader, w *Writer) error {
	u := r.uri()
	if err := r.Done(); err != nil {
		return err
	}
	s, err := u.Format()
	if err != nil {
		return uriError(err)
	}
	w.String(s)
	return nil
}

// opStoreResolve resolves a URI against an open store; sh.mu is held.
//
//	entry: u8 0 ‖ entry ‖ bytes token ‖ bool selects bytes ‖ (u64 start ‖ u64 end ‖ bytes payload)
//	area:  u8 1 ‖ uvarint n ‖ n × (entry ‖ bytes token), newest first
func opStoreResolve(s *store.Store, r *Reader, w *Writer) error {
	u := r.uri()
	if err := r.Done(); err != nil {
		return err
	}
	switch v := u.(type) {
	case uri.EntryURI:
		var buf bytes.Buffer
		st, err := s.ResolveEntry(v, &buf)
		if err != nil {
			return uriError(err)
		}
		w.U8(uriKindEntry)
		w.Entry(st.Entry)
		w.Bytes(st.Token)
		start, end, ok := v.Range.Slice(st.Entry.PayloadLength)
		w.Bool(ok)
		if ok {
			w.U64(start)
			w.U64(end)
			w.Bytes(buf.Bytes())
		}
	case uri.AreaURI:
		if v.MaxCount == 0 {
			return errorf(CodeEmptyGrouping, "max count 0 selects nothing")
		}
		if _, err := grouping.NewAreaOfInterest(v.Area(), v.MaxCount, v.MaxSize); err != nil {
			return err
		}
		res, err := s.ResolveArea(v)
		if err != nil {
			return uriError(err)
		}
		w.U8(uriKindArea)
		w.Uvarint(uint64(len(res)))
		for _, st := range res {
			w.Entry(st.Entry)
			w.Bytes(st.Token)
		}
	}
	return nil
}

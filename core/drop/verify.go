package drop

import (
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Inspected describes one item of a drop for people: its entry, whether its
// token authorises it, and the payload slices it carries.
type Inspected struct {
	Item       *Item
	Authorised bool
	AuthError  error // why not, when !Authorised
	Slices     []bab.Slice
}

// Inspect decodes a drop and reports each item to visit, with its
// authorisation checked and its payload slices verified against the entry's
// digest. Unlike Verify it goes on after an unauthorised entry; it stops at
// the first structural error or payload mismatch (returned as a *Error).
func Inspect(r io.Reader, visit func(Inspected) error) error {
	dr := NewReader(r)
	for {
		item, err := dr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		in := Inspected{Item: item, Authorised: true}
		if err := meadowcap.CheckAuthorisedWrite(item.Entry, item.Token); err != nil {
			in.Authorised, in.AuthError = false, err
		}
		if in.Slices, err = verifySlices(dr, item); err != nil {
			return err
		}
		if err := visit(in); err != nil {
			return err
		}
	}
}

// Summary counts what a valid drop holds.
type Summary struct {
	Items        int
	PayloadBytes uint64 // payload bytes carried (slice chunks)
	Bytes        int64  // length of the drop
}

// Verify checks a whole drop: structure, every token (strictly, as
// meadowcap.CheckAuthorisedWrite) and every payload slice. The first problem
// is returned as a *Error naming the item and byte offset.
func Verify(r io.Reader) (Summary, error) {
	var sum Summary
	dr := NewReader(r)
	for {
		item, err := dr.Next()
		if errors.Is(err, io.EOF) {
			sum.Bytes = dr.Offset()
			return sum, nil
		}
		if err != nil {
			return sum, err
		}
		if err := meadowcap.CheckAuthorisedWrite(item.Entry, item.Token); err != nil {
			return sum, &Error{Item: item.Index, Offset: item.Offset, Err: wrap.Both(ErrUnauthorised, err)}
		}
		slices, err := verifySlices(dr, item)
		if err != nil {
			return sum, err
		}
		for _, s := range slices {
			sum.PayloadBytes += s.Bytes(item.Entry.PayloadLength)
		}
		sum.Items++
	}
}

// VerifySlices reads the remaining payload slices of the current item and
// verifies each against the entry's digest, without storing anything; it
// returns the chunk ranges the item carried.
func (dr *Reader) VerifySlices() ([]bab.Slice, error) {
	if dr.err != nil {
		return nil, dr.err
	}
	if dr.item == nil {
		return nil, nil
	}
	return verifySlices(dr, dr.item)
}

// verifySlices reads and verifies every payload slice of the current item.
func verifySlices(dr *Reader, item *Item) ([]bab.Slice, error) {
	var out []bab.Slice
	known := bab.NewLabelCache()
	for {
		s, stream, err := dr.NextSlice()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		at := dr.Offset()
		// Deferred mode: chunks are discarded whether verified yet or not,
		// so nothing is buffered; a slice that fails fails the drop. The
		// cache records the vertices on the slice's boundary paths, which
		// include those the next slice's left skip needs.
		v, err := bab.NewVerifier(bab.VerifierConfig{
			Digest:    bab.Digest(item.Entry.PayloadDigest),
			Length:    item.Entry.PayloadLength,
			Slice:     s.Chunks,
			Options:   s.Options,
			Known:     known,
			OnVertex:  known.Record,
			OnPending: func(uint64, []byte) error { return nil },
		})
		if err == nil {
			if _, err = io.Copy(v, stream); err == nil {
				err = v.Close()
			}
		}
		if err != nil {
			var de *Error
			if errors.As(err, &de) {
				return nil, err
			}
			return nil, &Error{Item: item.Index, Offset: at, Err: wrap.New(ErrPayload.Error()+": slice ["+wrap.Num(s.Chunks.Start)+", +"+wrap.Num(s.Chunks.Count)+"): "+err.Error(), ErrPayload, err)}
		}
		out = append(out, s.Chunks)
	}
}

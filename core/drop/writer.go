package drop

import (
	"bufio"
	"errors"
	"io"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Payload is the payload data a drop can carry for one entry: the chunk
// ranges available and their 64-grouped baseline slice streams. A
// *bab.Storage is a Payload.
type Payload interface {
	// Slices lists the available chunk ranges, non-overlapping and in
	// increasing order.
	Slices() ([]bab.Slice, error)
	// WriteSliceStream writes the verifiable slice stream of s under o.
	WriteSliceStream(w io.Writer, s bab.Slice, o bab.Options) error
}

// SliceMode is the payload part of an item.
type SliceMode uint8

// The slice modes of the drop format.
const (
	ModeNone     SliceMode = 0 // no payload data
	ModeComplete SliceMode = 1 // the raw payload
	ModePrefix   SliceMode = 2 // one slice starting at chunk 0
	ModeSlices   SliceMode = 3 // any slices
)

// String names the mode.
func (m SliceMode) String() string {
	return [...]string{"none", "complete", "prefix", "slices"}[m&3]
}

// previous is the encoding context: the last item's entry and token.
type previous struct {
	entry entry.Entry
	token meadowcap.AuthorisationToken
}

func initialPrevious() previous {
	return previous{
		entry: entry.Default(ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest()),
		token: meadowcap.DefaultAuthorisationToken(),
	}
}

// Writer encodes a drop to an io.Writer, one item at a time, in constant
// memory apart from the item being written.
type Writer struct {
	w     *bufio.Writer
	prev  previous
	items int
	err   error
	buf   []byte
}

// NewWriter returns a Writer that writes a drop to w. Call Close to write
// the terminator and flush.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), prev: initialPrevious()}
}

// Items is the number of items written so far.
func (w *Writer) Items() int { return w.items }

// Add writes one authorised entry with the payload data p holds (nil for
// none). It picks the most compact slice mode for what is available.
func (w *Writer) Add(ae meadowcap.AuthorisedEntry, p Payload) error {
	if w.err != nil {
		return w.err
	}
	e := ae.Entry()
	var slices []bab.Slice
	if p != nil {
		var err error
		if slices, err = p.Slices(); err != nil {
			return w.fail(wrap.Prefix("drop: item "+wrap.Num(w.items)+": payload slices", err))
		}
	}
	mode := chooseMode(e.PayloadLength, slices)
	head, err := w.appendHeader(w.buf[:0], ae, mode)
	if err != nil {
		return w.fail(wrap.Prefix("drop: item "+wrap.Num(w.items), err))
	}
	w.buf = head
	if _, err := w.w.Write(head); err != nil {
		return w.fail(err)
	}
	if err := w.writePayload(e, mode, slices, p); err != nil {
		return w.fail(wrap.Prefix("drop: item "+wrap.Num(w.items)+": payload", err))
	}
	w.prev = previous{entry: e, token: ae.Token()}
	w.items++
	return nil
}

// Close writes the terminator and flushes. It does not close the underlying
// writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if err := w.w.WriteByte(0); err != nil {
		return w.fail(err)
	}
	w.err = errors.New("drop: writer closed")
	return w.w.Flush()
}

func (w *Writer) fail(err error) error {
	w.err = err
	return err
}

// chooseMode picks the slice mode for the available slices.
func chooseMode(length uint64, slices []bab.Slice) SliceMode {
	switch {
	case len(slices) == 0:
		return ModeNone
	case len(slices) == 1 && slices[0] == bab.FullSlice(length):
		return ModeComplete
	case len(slices) == 1 && slices[0].Start == 0:
		return ModePrefix
	}
	return ModeSlices
}

// appendHeader appends the item header, entry and relative token.
func (w *Writer) appendHeader(dst []byte, ae meadowcap.AuthorisedEntry, mode SliceMode) ([]byte, error) {
	e, prev := ae.Entry(), w.prev.entry
	header := byte(0x40) | codec.CU64Tag(uint64(e.Timestamp), 2)<<2 | byte(mode)
	if e.NamespaceID != prev.NamespaceID {
		header |= 0x20
	}
	if e.SubspaceID != prev.SubspaceID {
		header |= 0x10
	}
	dst = append(dst, header)
	if header&0x20 != 0 {
		dst = append(dst, e.NamespaceID[:]...)
	}
	if header&0x10 != 0 {
		dst = append(dst, e.SubspaceID[:]...)
	}
	dst = path.AppendEncodeRelative(dst, e.Path, prev.Path)
	dst = codec.AppendCU64(dst, uint64(e.Timestamp), 2)
	dst = codec.AppendStandaloneCU64(dst, e.PayloadLength)
	dst = append(dst, e.PayloadDigest[:]...)
	return meadowcap.AppendEncodeTokenRelative(dst, ae.Token(), w.prev.token, e)
}

// writePayload writes the payload part for mode.
func (w *Writer) writePayload(e entry.Entry, mode SliceMode, slices []bab.Slice, p Payload) error {
	chunks := bab.ChunkCount(e.PayloadLength)
	grouped := bab.Options{K: bab.GroupedAll}
	switch mode {
	case ModeComplete:
		// The 64-grouped stream of the whole payload is the raw payload.
		return p.WriteSliceStream(w.w, slices[0], grouped)
	case ModePrefix:
		if _, err := w.w.Write(codec.AppendStandaloneCU64(nil, slices[0].Count)); err != nil {
			return err
		}
		return p.WriteSliceStream(w.w, slices[0], grouped)
	case ModeSlices:
		var prevEnd uint64
		for j, s := range slices {
			if s.Count == 0 || s.Start < prevEnd || s.Start+s.Count > chunks {
				return wrap.Detail(ErrBadSlice, "slice "+wrap.Num(j)+" ["+wrap.Num(s.Start)+", +"+wrap.Num(s.Count)+") of "+wrap.Num(chunks)+" chunks")
			}
			offset := s.Start - prevEnd
			head := []byte{0x80 | codec.CU64Tag(offset, 3)<<4 | codec.CU64Tag(s.Count, 4)}
			head = codec.AppendCU64(head, offset, 3)
			head = codec.AppendCU64(head, s.Count, 4)
			if _, err := w.w.Write(head); err != nil {
				return err
			}
			o := grouped
			if j > 0 {
				o.LeftSkip = bab.OptimalLeftSkip(chunks, prevEnd-1, s.Start)
			}
			if err := p.WriteSliceStream(w.w, s, o); err != nil {
				return err
			}
			prevEnd = s.Start + s.Count
		}
	}
	return nil
}

// BytesPayload is a Payload over bytes in memory: the whole payload, of
// which the chunk ranges Available are offered (nil: all of it).
type BytesPayload struct {
	Data      []byte
	Available []bab.Slice
}

// Slices implements Payload.
func (b BytesPayload) Slices() ([]bab.Slice, error) {
	if b.Available == nil {
		return []bab.Slice{bab.FullSlice(uint64(len(b.Data)))}, nil
	}
	return b.Available, nil
}

// WriteSliceStream implements Payload.
func (b BytesPayload) WriteSliceStream(w io.Writer, s bab.Slice, o bab.Options) error {
	return bab.WriteSliceStream(w, b.Data, s, o)
}

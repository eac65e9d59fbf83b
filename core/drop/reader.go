package drop

import (
	"errors"
	"io"
	"strconv"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Item is one decoded entry of a drop with its (not yet verified) token.
type Item struct {
	Index  int   // position in the drop, from 0
	Offset int64 // byte offset of the item header
	Entry  entry.Entry
	Token  meadowcap.AuthorisationToken
	Mode   SliceMode
}

// Slice is one payload slice of an item: the chunk range, the options of its
// verifiable slice stream (64-grouped, with a left skip after the first slice)
// and the stream's length in bytes.
type Slice struct {
	Chunks  bab.Slice
	Options bab.Options
	Length  uint64
}

// Reader decodes a drop from an io.Reader: Next returns each item, NextSlice
// each of its payload slices with a reader of exactly the slice's stream
// bytes. It decodes and checks the structure; it does not verify tokens or
// payload bytes (Verify and the store's ingest do).
type Reader struct {
	in    input
	prev  previous
	items int
	item  *Item

	// Payload slices of the current item.
	chunks    uint64
	slicesIn  int    // slices returned so far
	prevEnd   uint64 // end chunk (exclusive) of the last slice
	prefixLen uint64 // ModePrefix: slice length from the item
	stream    streamReader

	err error
}

// NewReader returns a Reader of the drop in r.
func NewReader(r io.Reader) *Reader {
	return &Reader{in: input{src: r}, prev: initialPrevious()}
}

// Offset is the number of drop bytes consumed.
func (r *Reader) Offset() int64 { return r.in.off }

// fail makes err sticky, located at the current item and offset.
func (r *Reader) fail(item int, off int64, err error) error {
	if r.err == nil {
		var de *Error
		if !errors.As(err, &de) {
			err = &Error{Item: item, Offset: off, Err: err}
		}
		r.err = err
	}
	return r.err
}

// Next returns the next item, skipping the unread payload slices of the
// previous one, or io.EOF after the terminator.
func (r *Reader) Next() (*Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.item != nil {
		for {
			_, s, err := r.NextSlice()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			if _, err := io.Copy(io.Discard, s); err != nil {
				return nil, r.fail(r.items-1, r.in.off, err)
			}
		}
		r.item = nil
	}
	if !r.in.fill(1) {
		return nil, r.fail(-1, r.in.off, r.truncation())
	}
	switch b := r.in.buffered()[0]; {
	case b == 0:
		r.in.consume(1)
		if len(r.in.buffered()) > 0 || r.in.more() {
			return nil, r.fail(-1, r.in.off, ErrTrailingBytes)
		}
		if r.in.err != nil {
			return nil, r.fail(-1, r.in.off, r.in.err)
		}
		r.err = io.EOF
		return nil, io.EOF
	case b&0xc0 != 0x40:
		return nil, r.fail(r.items, r.in.off, wrap.Detail(ErrBadHeader, "0b"+strconv.FormatUint(uint64(b)|0x100, 2)[1:]))
	}
	item := &Item{Index: r.items, Offset: r.in.off}
	err := r.decode(MaxItemHeader, func(d *codec.Decoder) error {
		e, token, mode, err := decodeItem(d, r.prev)
		item.Entry, item.Token, item.Mode = e, token, mode
		return err
	})
	if err != nil {
		return nil, r.fail(item.Index, item.Offset, err)
	}
	r.items++
	r.item = item
	r.prev = previous{entry: item.Entry, token: item.Token}
	r.chunks = bab.ChunkCount(item.Entry.PayloadLength)
	r.slicesIn, r.prevEnd, r.stream.left = 0, 0, 0
	if item.Mode == ModePrefix {
		at := r.in.off
		err := r.decode(9, func(d *codec.Decoder) error {
			var err error
			r.prefixLen, err = d.StandaloneCU64("prefix slice length")
			return err
		})
		if err == nil && (r.prefixLen == 0 || r.prefixLen > r.chunks) {
			err = wrap.Detail(ErrBadSlice, "prefix of "+wrap.Num(r.prefixLen)+" chunks of a "+wrap.Num(r.chunks)+"-chunk payload")
		}
		if err != nil {
			return nil, r.fail(item.Index, at, err)
		}
	}
	return item, nil
}

// NextSlice returns the next payload slice of the current item and a reader
// of its stream bytes (valid until the next call of NextSlice or Next), or
// io.EOF when the item has no more slices.
func (r *Reader) NextSlice() (Slice, io.Reader, error) {
	if r.err != nil {
		return Slice{}, nil, r.err
	}
	if r.item == nil {
		return Slice{}, nil, io.EOF
	}
	if r.stream.left > 0 { // the caller did not read all of the last stream
		if _, err := io.Copy(io.Discard, &r.stream); err != nil {
			return Slice{}, nil, r.fail(r.item.Index, r.in.off, err)
		}
	}
	grouped := bab.Options{K: bab.GroupedAll}
	var s Slice
	switch r.item.Mode {
	case ModeNone:
		return Slice{}, nil, io.EOF
	case ModeComplete, ModePrefix:
		if r.slicesIn > 0 {
			return Slice{}, nil, io.EOF
		}
		s = Slice{Chunks: bab.FullSlice(r.item.Entry.PayloadLength), Options: grouped}
		if r.item.Mode == ModePrefix {
			s.Chunks = bab.Slice{Start: 0, Count: r.prefixLen}
		}
	case ModeSlices:
		at := r.in.off
		if !r.in.fill(1) {
			return Slice{}, nil, r.fail(r.item.Index, at, r.truncation())
		}
		if r.in.buffered()[0]&0x80 == 0 {
			return Slice{}, nil, io.EOF // the next item or the terminator
		}
		var offset, count uint64
		err := r.decode(1+4+8, func(d *codec.Decoder) error {
			h, err := d.Byte("slice header")
			if err != nil {
				return err
			}
			if offset, err = d.CU64(h>>4&0x07, 3, "slice offset"); err != nil {
				return err
			}
			count, err = d.CU64(h&0x0f, 4, "slice length")
			return err
		})
		// offset ≤ chunks and count ≤ chunks keep the sums far from overflow.
		if err == nil && (count == 0 || offset > r.chunks || count > r.chunks || r.prevEnd+offset+count > r.chunks) {
			err = wrap.Detail(ErrBadSlice, "slice "+wrap.Num(r.slicesIn)+" of "+wrap.Num(count)+" chunks at offset "+wrap.Num(offset)+" after chunk "+wrap.Num(r.prevEnd)+", in a "+wrap.Num(r.chunks)+"-chunk payload")
		}
		if err != nil {
			return Slice{}, nil, r.fail(r.item.Index, at, err)
		}
		s = Slice{Chunks: bab.Slice{Start: r.prevEnd + offset, Count: count}, Options: grouped}
		if r.slicesIn > 0 {
			s.Options.LeftSkip = bab.OptimalLeftSkip(r.chunks, r.prevEnd-1, s.Chunks.Start)
		}
	}
	n, err := bab.StreamLen(r.item.Entry.PayloadLength, s.Chunks, s.Options)
	if err != nil {
		return Slice{}, nil, r.fail(r.item.Index, r.in.off, wrap.Both(ErrBadSlice, err))
	}
	s.Length = n
	r.slicesIn++
	r.prevEnd = s.Chunks.Start + s.Chunks.Count
	r.stream = streamReader{r: r, left: n}
	return s, &r.stream, nil
}

// decode runs fn on the buffered bytes, reading more while fn reports
// truncation and fewer than limit bytes are buffered; it consumes what fn
// decoded.
func (r *Reader) decode(limit int, fn func(*codec.Decoder) error) error {
	for {
		d := codec.NewDecoder(r.in.buffered(), codec.Relation)
		err := fn(d)
		if err == nil {
			r.in.consume(d.Offset())
			return nil
		}
		if !errors.Is(err, codec.ErrTruncated) {
			return locate(err, r.in.off)
		}
		if len(r.in.buffered()) >= limit {
			return wrap.Detail(ErrTooLarge, "more than "+wrap.Num(limit)+" bytes")
		}
		if !r.in.more() {
			if r.in.err != nil {
				return r.in.err
			}
			return wrap.Both(ErrTruncated, locate(err, r.in.off))
		}
	}
}

// locate shifts a decoder's offset (relative to the buffer) to a drop offset.
func locate(err error, base int64) error {
	var de *codec.DecodeError
	if errors.As(err, &de) {
		c := *de
		c.Offset += int(base)
		return &c
	}
	return err
}

func (r *Reader) truncation() error {
	if r.in.err != nil {
		return r.in.err
	}
	return ErrTruncated
}

// streamReader reads exactly the bytes of one slice stream.
type streamReader struct {
	r    *Reader
	left uint64
}

// Read implements io.Reader.
func (s *streamReader) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	if uint64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.in.Read(p)
	s.left -= uint64(n)
	if errors.Is(err, io.EOF) {
		if s.left > 0 {
			return n, s.r.fail(s.r.item.Index, s.r.in.off, wrap.Detail(ErrTruncated, "in a payload slice stream"))
		}
		err = nil
	}
	return n, err
}

// decodeItem decodes an item header, entry and token relative to prev.
func decodeItem(d *codec.Decoder, prev previous) (entry.Entry, meadowcap.AuthorisationToken, SliceMode, error) {
	var e entry.Entry
	var token meadowcap.AuthorisationToken
	header, err := d.Byte("item header")
	if err != nil {
		return e, token, 0, err
	}
	e.NamespaceID, e.SubspaceID = prev.entry.NamespaceID, prev.entry.SubspaceID
	if header&0x20 != 0 {
		at := d.Offset()
		ns, err := d.Array32("namespace id")
		if err != nil {
			return e, token, 0, err
		}
		if e.NamespaceID = ids.NamespaceID(ns); e.NamespaceID == prev.entry.NamespaceID {
			return e, token, 0, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "namespace id",
				Detail: "flagged as different but equal to the previous entry's"}
		}
	}
	if header&0x10 != 0 {
		at := d.Offset()
		ss, err := d.Array32("subspace id")
		if err != nil {
			return e, token, 0, err
		}
		if e.SubspaceID = ids.SubspaceID(ss); e.SubspaceID == prev.entry.SubspaceID {
			return e, token, 0, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: "subspace id",
				Detail: "flagged as different but equal to the previous entry's"}
		}
	}
	if e.Path, err = path.DecodeRelative(d, prev.entry.Path); err != nil {
		return e, token, 0, err
	}
	ts, err := d.CU64(header>>2&0x03, 2, "timestamp")
	if err != nil {
		return e, token, 0, err
	}
	e.Timestamp = entry.Timestamp(ts)
	if e.PayloadLength, err = d.StandaloneCU64("payload length"); err != nil {
		return e, token, 0, err
	}
	digest, err := d.Array32("payload digest")
	if err != nil {
		return e, token, 0, err
	}
	e.PayloadDigest = ids.PayloadDigest(digest)
	if token, err = meadowcap.DecodeTokenRelative(d, prev.token, e); err != nil {
		return e, token, 0, err
	}
	return e, token, SliceMode(header & 0x03), nil
}

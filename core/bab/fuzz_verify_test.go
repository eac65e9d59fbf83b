package bab

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// fuzzPayload is the string all FuzzVerifyStream inputs are checked against.
var fuzzPayload = payloadOf(5*1024+300, 77)

// FuzzVerifyStream feeds arbitrary streams, slices, options and piece sizes
// to the Verifier, in buffered and in deferred mode (see verifyStream), and
// to a Storage. It must never panic, and it must accept exactly the one
// stream the producer makes, releasing exactly the slice's bytes; the
// deferred mode must fail alike and confirm only correct data, and the
// Storage must keep its invariant.
// Minimising its multi-kilobyte inputs is slow; run it with a short
// -fuzzminimizetime (e.g. 2s) so new inputs do not stall the workers.
func FuzzVerifyStream(f *testing.F) {
	g := newGeometry(uint64(len(fuzzPayload)))
	for _, o := range allOptions() {
		for _, s := range []Slice{{0, g.chunks}, {2, 3}, {5, 1}} {
			st, err := AppendSliceStream(nil, fuzzPayload, s, o)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(st, uint16(s.Start), uint16(s.Count), o.K, o.Light, o.LeftSkip, o.RightSkip, uint16(100))
		}
	}
	digest := Sum(fuzzPayload)
	oracle := payloadOracle(f, fuzzPayload)
	f.Fuzz(func(t *testing.T, stream []byte, start, count uint16, k uint8, light bool, ls, rs uint8, piece uint16) {
		s, o := Slice{uint64(start), uint64(count)}, Options{K: k, Light: light, LeftSkip: ls, RightSkip: rs}
		want, perr := AppendSliceStream(nil, fuzzPayload, s, o)
		got, verr := verifyStream(t, fuzzPayload, digest, s, o, oracle, stream, []int{1 + int(piece)})
		if perr != nil {
			if !errors.Is(verr, ErrInvalidSlice) || !errors.Is(perr, ErrInvalidSlice) {
				t.Fatalf("invalid slice: producer %v, verifier %v", perr, verr)
			}
			return
		}
		if accepted := verr == nil; accepted != bytes.Equal(stream, want) {
			t.Fatalf("accepted=%v (err %v) but stream equal to the valid one: %v", accepted, verr, !accepted)
		}
		if verr == nil && !bytes.Equal(got, sliceBytes(fuzzPayload, s)) {
			t.Fatal("accepted stream released wrong bytes")
		}
		var se *StreamError
		if verr != nil && !errors.As(verr, &se) {
			t.Fatalf("untyped error %v", verr)
		}
		// Receive the stream into a Storage that holds chunk 1 already:
		// it must succeed exactly when the Verifier did, and whatever it
		// marks must be correct, chunk 1 included.
		st, b := newTestStorage(t, fuzzPayload)
		if err := st.IngestSlice(bytes.NewReader(fuzzStreamChunk1), Slice{1, 1}, Options{}); err != nil {
			t.Fatal(err)
		}
		before := bytes.Clone(b.b)
		serr := st.IngestSlice(bytes.NewReader(stream), s, o)
		if (serr == nil) != (verr == nil) && !errors.Is(serr, ErrKnownLabels) {
			t.Fatalf("storage: %v, verifier: %v", serr, verr)
		}
		checkStorage(t, st, b.b, before, fuzzSource, "fuzz")
	})
}

// fuzzSource labels fuzzPayload; fuzzStreamChunk1 is the baseline stream of
// its chunk 1.
var (
	fuzzSource          = newBytesSource(fuzzPayload)
	fuzzStreamChunk1, _ = AppendSliceStream(nil, fuzzPayload, Slice{1, 1}, Options{})
)

func TestReader(t *testing.T) {
	payload := payloadOf(20*1024+9, 8)
	digest := Sum(payload)
	s := Slice{2, 15}
	for _, o := range []Options{{}, {K: GroupedAll}, {Light: true, K: 3}} {
		stream, _ := AppendSliceStream(nil, payload, s, o)
		r, err := NewReader(iotest.OneByteReader(bytes.NewReader(stream)), VerifierConfig{Digest: digest, Length: uint64(len(payload)), Slice: s, Options: o})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, sliceBytes(payload, s)) {
			t.Fatalf("%+v: ReadAll %d bytes, %v", o, len(got), err)
		}
		stream[len(stream)-1] ^= 1
		r, _ = NewReader(bytes.NewReader(stream), VerifierConfig{Digest: digest, Length: uint64(len(payload)), Slice: s, Options: o})
		got, err = io.ReadAll(r)
		if !errors.Is(err, ErrChunkMismatch) && !errors.Is(err, ErrLabelMismatch) {
			t.Fatalf("%+v: tampered stream: %v", o, err)
		}
		if len(got) >= len(sliceBytes(payload, s)) {
			t.Fatalf("%+v: tampered stream released its last chunk", o)
		}
		r, _ = NewReader(bytes.NewReader(stream[:len(stream)-5]), VerifierConfig{Digest: digest, Length: uint64(len(payload)), Slice: s, Options: o})
		if _, err = io.ReadAll(r); !errors.Is(err, ErrStreamTooShort) {
			t.Fatalf("%+v: short stream: %v", o, err)
		}
	}
}

package jsbridge

import (
	"bytes"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// call runs op and returns the result reader, failing the test on an error
// response.
func call(t *testing.T, b *Bridge, op byte, w *Writer) *Reader {
	t.Helper()
	resp := b.Call(op, w.Buf)
	r := NewReader(resp)
	if r.U8("status") != statusOK {
		t.Fatalf("op %#x failed: %s: %s", op, r.String("code"), r.String("message"))
	}
	return r
}

// callErr runs op and returns the error code of its response.
func callErr(t *testing.T, b *Bridge, op byte, w *Writer) string {
	t.Helper()
	r := NewReader(b.Call(op, w.Buf))
	if r.U8("status") != statusError {
		t.Fatalf("op %#x succeeded, want an error", op)
	}
	return r.String("code")
}

func testEntry() entry.Entry {
	return entry.Entry{NamespaceID: ids.DefaultNamespaceID(), SubspaceID: ids.DefaultSubspaceID(),
		Path: path.MustFromStrings("a", "bc"), Timestamp: 1 << 40, PayloadLength: 300, PayloadDigest: ids.DefaultPayloadDigest()}
}

func TestEntriesRoundTrip(t *testing.T) {
	b := NewBridge()
	e := testEntry()
	w := &Writer{}
	w.Uvarint(2)
	w.Entry(e)
	w.Entry(e)
	r := call(t, b, OpEncodeEntries, w)
	c1, c2 := r.Bytes("code"), r.Bytes("code")
	if !bytes.Equal(c1, entry.Encode(e)) || !bytes.Equal(c2, c1) || r.Done() != nil {
		t.Fatalf("codes %x %x, want %x", c1, c2, entry.Encode(e))
	}
	w = &Writer{}
	w.Uvarint(1)
	w.Bytes(c1)
	r = call(t, b, OpDecodeEntries, w)
	if got := r.Entry("entry"); !got.Equal(e) || r.Done() != nil {
		t.Fatalf("decoded %v", got)
	}
	for _, c := range []struct {
		code  []byte
		error string
	}{
		{c1[:len(c1)-1], CodeTruncated},
		{append(append([]byte{}, c1...), 0), CodeTrailingBytes},
	} {
		w = &Writer{}
		w.Uvarint(1)
		w.Bytes(c.code)
		if got := callErr(t, b, OpDecodeEntries, w); got != c.error {
			t.Errorf("decode %x: code %q, want %q", c.code, got, c.error)
		}
	}
}

// TestEntriesBatchTranscoding sends batches whose paths change shape from
// entry to entry through both ops: the per-batch entry.View and component
// scratch must never leak one entry's components into the next.
func TestEntriesBatchTranscoding(t *testing.T) {
	b := NewBridge()
	paths := []path.Path{path.MustFromStrings("a", "bc", "def"), {}, path.MustFromStrings("x"),
		path.MustFromStrings("", "", "", ""), path.MustFromStrings("long component here", "q"), path.MustFromStrings(strings.Repeat("w", 200), "", strings.Repeat("z", 130))}
	var es []entry.Entry
	for i, p := range paths {
		e := testEntry()
		e.Path, e.Timestamp, e.PayloadLength = p, entry.Timestamp(i*1000), uint64(i)<<60
		e.SubspaceID[0] = byte(i)
		es = append(es, e)
	}
	w := &Writer{}
	w.Uvarint(uint64(len(es)))
	for _, e := range es {
		w.Entry(e)
	}
	r := call(t, b, OpEncodeEntries, w)
	dw := &Writer{}
	dw.Uvarint(uint64(len(es)))
	for _, e := range es {
		code := r.Bytes("code")
		if !bytes.Equal(code, entry.Encode(e)) {
			t.Fatalf("code of %v: %x, want %x", e.Path, code, entry.Encode(e))
		}
		dw.Bytes(code)
	}
	r = call(t, b, OpDecodeEntries, dw)
	for _, e := range es {
		if got := r.Entry("entry"); !got.Equal(e) {
			t.Fatalf("decoded %+v, want %+v", got, e)
		}
	}
	if r.Done() != nil {
		t.Fatal(r.Done())
	}
	// A path over the limits is refused with path_limit, naming the item.
	w = &Writer{}
	w.Uvarint(2)
	w.Entry(es[0])
	w.Raw(es[0].NamespaceID[:])
	w.Raw(es[0].SubspaceID[:])
	w.Uvarint(2)
	w.Bytes(make([]byte, 2048))
	w.Bytes(make([]byte, 2049))
	w.U64(0)
	w.U64(0)
	w.Raw(es[0].PayloadDigest[:])
	resp := b.Call(OpEncodeEntries, w.Buf)
	er := NewReader(resp[1:])
	if code, msg := er.String("code"), er.String("message"); resp[0] == 0 || code != CodePathLimit || !strings.HasPrefix(msg, "item 1: ") {
		t.Errorf("over-long path: status %d, %q %q", resp[0], code, msg)
	}
}

func TestBadRequests(t *testing.T) {
	b := NewBridge()
	w := &Writer{}
	w.Uvarint(1 << 40) // count beyond the request
	if got := callErr(t, b, OpEncodeEntries, w); got != CodeInvalidArgument {
		t.Errorf("huge count: %q", got)
	}
	w = &Writer{}
	w.Uvarint(1)
	w.Uvarint(1)
	w.Bytes(make([]byte, 4097))
	if got := callErr(t, b, OpEncodePaths, w); got != CodePathLimit {
		t.Errorf("long component: %q", got)
	}
	if got := callErr(t, b, 0x7d, &Writer{}); got != CodeUnknownOp {
		t.Errorf("unknown op: %q", got)
	}
}

func TestStoreIngestQuery(t *testing.T) {
	b := NewBridge()
	var events int
	b.Notify = func(uint64, []byte) { events++ }
	st := call(t, b, OpStoreOpen, &Writer{Buf: []byte{backendMemory}}).Uvarint("store")
	idb := &Writer{Buf: []byte{backendIndexedDB}}
	idb.String("x")
	if got := callErr(t, b, OpStoreOpen, idb); got != CodeUnsupported {
		t.Errorf("IndexedDB store natively: %q", got)
	}

	// The default entry with the default token.
	ns, ss := ids.DefaultNamespaceID(), ids.DefaultSubspaceID()
	e := entry.Default(ns, ss, ids.DefaultPayloadDigest())
	w := &Writer{}
	w.U8(1)
	w.Raw(ns[:])
	w.Raw(ss[:])
	capCode := call(t, b, OpCapCommunal, w).Bytes("code")
	w = &Writer{}
	w.Entry(e)
	w.Bytes(capCode)
	sk := ids.DefaultSecretKey()
	w.Raw(sk[:])
	token := call(t, b, OpAuthorise, w).Bytes("token")

	w = &Writer{}
	w.Uvarint(st)
	w.Raw(ns[:])
	w.Area(grouping.FullArea())
	call(t, b, OpStoreSubscribe, w)

	w = &Writer{}
	w.Uvarint(st)
	w.Uvarint(1)
	w.Entry(e)
	w.Bytes(token)
	if r := call(t, b, OpStoreIngest, w); r.U8("outcome") != 1 {
		t.Fatal("not inserted")
	}
	if events != 1 {
		t.Errorf("%d event batches, want 1", events)
	}
	forged := append([]byte{}, token...)
	forged[len(forged)-1] ^= 1
	w = &Writer{}
	w.Uvarint(st)
	w.Uvarint(1)
	w.Entry(e)
	w.Bytes(forged)
	if got := callErr(t, b, OpStoreIngest, w); got != CodeEntrySignature {
		t.Errorf("forged token: %q", got)
	}

	w = &Writer{}
	w.Uvarint(st)
	w.Raw(ns[:])
	w.Area(grouping.FullArea())
	w.U64(^uint64(0))
	w.U64(^uint64(0))
	w.U8(0)
	w.Uvarint(10)
	r := call(t, b, OpStoreQuery, w)
	r.Uvarint("session")
	if n := r.Uvarint("count"); n != 1 {
		t.Fatalf("query returned %d entries", n)
	}
	if got := r.Entry("entry"); !got.Equal(e) {
		t.Errorf("query returned %v", got)
	}
}

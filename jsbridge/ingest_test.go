package jsbridge

import (
	"crypto/ed25519"
	"math/big"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// item is one (entry, token) pair of a batch.
type item struct {
	e     entry.Entry
	token []byte
}

func signedItem(t *testing.T, b *Bridge, name string) item {
	t.Helper()
	ns, ss := ids.DefaultNamespaceID(), ids.DefaultSubspaceID()
	e := entry.Default(ns, ss, ids.DefaultPayloadDigest())
	e.Path = path.MustFromStrings(name)
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
	return item{e, call(t, b, OpAuthorise, w).Bytes("token")}
}

func writeBatch(w *Writer, items []item) {
	w.Uvarint(uint64(len(items)))
	for _, it := range items {
		w.Entry(it.e)
		w.Bytes(it.token)
	}
}

type triple struct{ pk, sig, msg []byte }

// signatures runs the first phase.
func signatures(t *testing.T, b *Bridge, items []item) []triple {
	t.Helper()
	w := &Writer{}
	writeBatch(w, items)
	r := call(t, b, OpIngestSignatures, w)
	out := make([]triple, r.Uvarint("count"))
	for i := range out {
		out[i] = triple{r.take(32, "pk"), r.take(64, "sig"), r.Bytes("msg")}
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	return out
}

// confirmedIngest runs the second phase with the confirmed triples.
func confirmedIngest(b *Bridge, st uint64, items []item, confirmed []triple) *Reader {
	w := &Writer{}
	w.Uvarint(st)
	w.Uvarint(uint64(len(confirmed)))
	for _, c := range confirmed {
		w.Raw(c.pk)
		w.Raw(c.sig)
		w.Bytes(c.msg)
	}
	writeBatch(w, items)
	return NewReader(b.Call(OpStoreIngestConfirmed, w.Buf))
}

// withSignature returns it with the token's signature (its last 64 bytes) replaced.
func withSignature(it item, sig []byte) item {
	tok := append([]byte{}, it.token...)
	copy(tok[len(tok)-64:], sig)
	return item{it.e, tok}
}

func TestIngestConfirmed(t *testing.T) {
	b := NewBridge()
	st := call(t, b, OpStoreOpen, &Writer{Buf: []byte{backendMemory}}).Uvarint("store")
	good := []item{signedItem(t, b, "a"), signedItem(t, b, "b"), signedItem(t, b, "c")}

	// An honest host: confirms what crypto/ed25519 verifies.
	honest := func(ts []triple) (ok []triple) {
		for _, tr := range ts {
			if ed25519.Verify(tr.pk, tr.msg, tr.sig) {
				ok = append(ok, tr)
			}
		}
		return ok
	}

	// A forged signature (canonical encodings, wrong equation) in the middle
	// of the batch: the batch is refused naming it, nothing is written.
	sig := append([]byte{}, good[1].token[len(good[1].token)-64:]...)
	sig[40] ^= 1
	forged := []item{good[0], withSignature(good[1], sig), good[2]}
	ts := signatures(t, b, forged)
	if len(ts) != 3 {
		t.Fatalf("%d signatures listed, want 3 (communal capabilities have none of their own)", len(ts))
	}
	r := confirmedIngest(b, st, forged, honest(ts))
	if r.U8("status") != statusError {
		t.Fatal("forged batch ingested")
	}
	if code, msg := r.String("code"), r.String("message"); code != CodeEntrySignature {
		t.Fatalf("forged batch: %s: %s", code, msg)
	}

	// Strictness: a non-canonical S (S+L) and a small-order R are never
	// listed and are refused even when the host claims to have verified them.
	orig := good[1].token[len(good[1].token)-64:]
	s := new(big.Int).SetBytes(reverse(orig[32:]))
	s.Add(s, ellL())
	highS := append(append([]byte{}, orig[:32]...), reverse(pad32(s.Bytes()))...)
	smallR := append([]byte{1}, make([]byte, 31)...)
	smallR = append(smallR, orig[32:]...)
	for name, bad := range map[string][]byte{"S+L": highS, "small-order R": smallR} {
		batch := []item{good[0], withSignature(good[1], bad), good[2]}
		ts := signatures(t, b, batch)
		if len(ts) != 2 {
			t.Errorf("%s: %d signatures listed, want 2", name, len(ts))
		}
		e := good[1].e
		msg := entry.AppendEncode(nil, e)
		pk := ids.DefaultSubspaceID()
		lying := append(honest(ts), triple{pk[:], bad, msg})
		r := confirmedIngest(b, st, batch, lying)
		if r.U8("status") != statusError {
			t.Fatalf("%s: ingested", name)
		}
		if code := r.String("code"); code != CodeEntrySignature {
			t.Errorf("%s: code %s", name, code)
		}
	}

	// The honest batch goes in, the host's confirmations used or not.
	r = confirmedIngest(b, st, good[:2], honest(signatures(t, b, good[:2])))
	if r.U8("status") != statusOK {
		t.Fatalf("good batch: %s: %s", r.String("code"), r.String("message"))
	}
	for i := 0; i < 2; i++ {
		if r.U8("outcome") != 1 {
			t.Fatalf("item %d not inserted", i)
		}
		r.Entry("entry")
		r.Uvarint("pruned")
	}
	r = confirmedIngest(b, st, good[2:], nil) // nothing confirmed: verified in Go
	if r.U8("status") != statusOK || r.U8("outcome") != 1 {
		t.Fatal("good item without confirmations not inserted")
	}
}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

func pad32(b []byte) []byte { return append(make([]byte, 32-len(b)), b...) }

// ellL is the order of the ed25519 base point.
func ellL() *big.Int {
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	return l
}

package seal_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

// author is a communal write capability and its receiver's secret.
type author struct {
	capability meadowcap.Capability
	secret     ids.SecretKey
}

func newAuthor(tb testing.TB) author {
	tb.Helper()
	ns, _, err := ids.GenerateCommunalNamespace(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	id, sk, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := meadowcap.NewCommunal(meadowcap.Write, ns, id)
	if err != nil {
		tb.Fatal(err)
	}
	return author{c, sk}
}

// add authorises an entry at /name for a payload of length n with digest d
// and adds it to the drop.
func (a author) add(tb testing.TB, dw *drop.Writer, name string, n uint64, d bab.Digest, p drop.Payload) {
	tb.Helper()
	pth, err := path.FromStrings(name)
	if err != nil {
		tb.Fatal(err)
	}
	e := entry.Entry{NamespaceID: a.capability.GrantedNamespace(), SubspaceID: a.capability.Receiver(), Path: pth,
		Timestamp: 1000, PayloadLength: n, PayloadDigest: ids.PayloadDigest(d)}
	token, err := meadowcap.Authorise(e, a.capability, a.secret)
	if err != nil {
		tb.Fatal(err)
	}
	ae, err := meadowcap.NewAuthorisedEntry(e, token)
	if err != nil {
		tb.Fatal(err)
	}
	if err := dw.Add(ae, p); err != nil {
		tb.Fatal(err)
	}
}

// makeDrop returns a valid plaintext drop of a few small payloads.
func makeDrop(tb testing.TB, payloads ...[]byte) []byte {
	tb.Helper()
	a := newAuthor(tb)
	var buf bytes.Buffer
	dw := drop.NewWriter(&buf)
	for i, p := range payloads {
		h := bab.New()
		h.Write(p)
		a.add(tb, dw, fmt.Sprintf("f%d", i), uint64(len(p)), h.Digest(), drop.BytesPayload{Data: p})
	}
	if err := dw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// testDrop is a drop of about 200 KiB: more than three age chunks.
func testDrop(tb testing.TB) []byte {
	tb.Helper()
	big := make([]byte, 200<<10)
	rand.Read(big)
	return makeDrop(tb, []byte("hello"), big, nil)
}

// genPayload is a drop.Payload of n pseudo-random bytes from a seed,
// generated as they are written, never held in memory.
type genPayload struct {
	seed [32]byte
	n    uint64
}

func (g genPayload) reader() io.Reader {
	return io.LimitReader(mrand.NewChaCha8(g.seed), int64(g.n))
}

func (g genPayload) Slices() ([]bab.Slice, error) { return []bab.Slice{bab.FullSlice(g.n)}, nil }

func (g genPayload) WriteSliceStream(w io.Writer, s bab.Slice, o bab.Options) error {
	if s != bab.FullSlice(g.n) || o.K < bab.GroupedAll || o.LeftSkip != 0 || o.RightSkip != 0 {
		return fmt.Errorf("genPayload: only the whole 64-grouped stream")
	}
	_, err := io.Copy(w, g.reader())
	return err
}

// bigDrop prepares a drop with one generated payload of n bytes (hashing
// it once) and returns a function that streams the drop to w, safe to call
// from another goroutine.
func bigDrop(tb testing.TB, n uint64) func(w io.Writer) error {
	tb.Helper()
	a := newAuthor(tb)
	g := genPayload{n: n}
	h := bab.New()
	if _, err := io.Copy(h, g.reader()); err != nil {
		tb.Fatal(err)
	}
	pth, err := path.FromStrings("big")
	if err != nil {
		tb.Fatal(err)
	}
	e := entry.Entry{NamespaceID: a.capability.GrantedNamespace(), SubspaceID: a.capability.Receiver(), Path: pth,
		Timestamp: 1000, PayloadLength: n, PayloadDigest: ids.PayloadDigest(h.Digest())}
	token, err := meadowcap.Authorise(e, a.capability, a.secret)
	if err != nil {
		tb.Fatal(err)
	}
	ae, err := meadowcap.NewAuthorisedEntry(e, token)
	if err != nil {
		tb.Fatal(err)
	}
	return func(w io.Writer) error {
		dw := drop.NewWriter(w)
		if err := dw.Add(ae, g); err != nil {
			return err
		}
		return dw.Close()
	}
}

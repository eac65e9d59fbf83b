package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

// writer is one author: a communal write capability and its secret.
type writer struct {
	c      meadowcap.Capability
	secret ids.SecretKey
}

func newWriters(t testing.TB, namespaces, perNamespace int) []writer {
	var ws []writer
	for i := 0; i < namespaces; i++ {
		ns, _, err := ids.GenerateCommunalNamespace(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < perNamespace; j++ {
			ss, secret, err := ids.GenerateSubspace(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			c, err := meadowcap.NewCommunal(meadowcap.Write, ns, ss)
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, writer{c, secret})
		}
	}
	return ws
}

// write authors an entry with a payload, ingests it and stores the payload
// (whole, or only some chunks when partial).
func (w writer) write(t testing.TB, s *Store, p path.Path, ts entry.Timestamp, payload []byte, partial bool) entry.Entry {
	t.Helper()
	e := entry.Entry{NamespaceID: w.c.GrantedNamespace(), SubspaceID: w.c.Receiver(), Path: p, Timestamp: ts,
		PayloadLength: uint64(len(payload)), PayloadDigest: ids.PayloadDigest(bab.Sum(payload))}
	token, err := meadowcap.Authorise(e, w.c, w.secret)
	if err != nil {
		t.Fatal(err)
	}
	ae, err := meadowcap.NewAuthorisedEntry(e, token)
	if err != nil {
		t.Fatal(err)
	}
	txn := s.Begin()
	if _, err := txn.Ingest(ae); err != nil {
		t.Fatal(err)
	}
	chunks := bab.ChunkCount(e.PayloadLength)
	switch {
	case partial && chunks > 1:
		// Every other chunk, through 64-grouped streams with left skips.
		for i := uint64(0); i < chunks; i += 2 {
			var buf bytes.Buffer
			sl := bab.Slice{Start: i, Count: 1}
			o := bab.Options{K: bab.GroupedAll}
			if err := bab.WriteSliceStream(&buf, payload, sl, o); err != nil {
				t.Fatal(err)
			}
			if err := txn.IngestSlice(e, sl, o, &buf); err != nil {
				t.Fatal(err)
			}
		}
	case !partial:
		if err := txn.WritePayload(e, bytes.NewReader(payload)); err != nil {
			t.Fatal(err)
		}
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	return e
}

func randomPayload(rng *mrand.Rand) []byte {
	n := []int{0, 1, 1023, 1024, 1025, 4096, 10_000}[rng.IntN(7)]
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// fill writes random entries (some pruning others) into s.
func fill(t testing.TB, s *Store, ws []writer, n int, seed uint64) {
	rng := mrand.New(mrand.NewPCG(seed, 1))
	for i := 0; i < n; i++ {
		w := ws[rng.IntN(len(ws))]
		comps := make([]string, rng.IntN(3))
		for j := range comps {
			comps[j] = []string{"a", "b", "c"}[rng.IntN(3)]
		}
		w.write(t, s, path.MustFromStrings(comps...), entry.Timestamp(rng.IntN(1000)), randomPayload(rng), rng.IntN(3) == 0)
	}
}

func areasOf(ws []writer) []NamespacedArea {
	var out []NamespacedArea
	seen := map[ids.NamespaceID]bool{}
	for _, w := range ws {
		if ns := w.c.GrantedNamespace(); !seen[ns] {
			seen[ns] = true
			out = append(out, NamespacedArea{Namespace: ns})
		}
	}
	return out
}

// snapshot renders everything observable of a store: entries, tokens,
// payload states and payload bytes.
func snapshot(t testing.TB, s *Store, areas []NamespacedArea) string {
	t.Helper()
	var b bytes.Buffer
	for _, a := range areas {
		sts, err := s.Entries(Query{Namespace: a.Namespace, Area: a.Area})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sts {
			e := st.Entry
			info, err := payloadInfo(s.backend, e)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v %v %v t=%d len=%d token=%x payload=%v %v\n", e.NamespaceID, e.SubspaceID, e.Path, e.Timestamp, e.PayloadLength, st.Token, info.State, info.Slices)
			for _, sl := range info.Slices {
				lo := sl.Start * bab.ChunkSize
				hi := min((sl.Start+sl.Count)*bab.ChunkSize, e.PayloadLength)
				if err := s.ReadPayload(e, lo, hi, &b); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return b.String()
}

func createDrop(t testing.TB, s *Store, areas []NamespacedArea) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.CreateDrop(context.Background(), &buf, areas, CreateDropOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDropRoundTripThroughStores(t *testing.T) {
	ws := newWriters(t, 2, 3)
	areas := areasOf(ws)
	a := mustOpen(t, kv.NewMemory(0))
	fill(t, a, ws, 60, 1)
	d := createDrop(t, a, areas)
	if _, err := drop.Verify(bytes.NewReader(d)); err != nil {
		t.Fatalf("created drop does not verify: %v", err)
	}
	b := mustOpen(t, kv.NewMemory(0))
	var progress []DropProgress
	res, err := b.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{OnProgress: func(p DropProgress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if want, got := snapshot(t, a, areas), snapshot(t, b, areas); want != got {
		t.Fatalf("store after ingesting the drop differs:\n%s\nwant\n%s", got, want)
	}
	if res.Items != res.Inserted || res.Bytes != int64(len(d)) || len(progress) != res.Items || progress[len(progress)-1].Bytes > res.Bytes {
		t.Fatalf("result %+v, %d progress reports, drop of %d bytes", res, len(progress), len(d))
	}
	// Ingesting again changes nothing.
	before := snapshot(t, b, areas)
	res, err = b.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{})
	if err != nil || res.AlreadyPresent != res.Items {
		t.Fatalf("second ingest: %+v, %v", res, err)
	}
	if snapshot(t, b, areas) != before {
		t.Fatal("ingesting the same drop twice changed the store")
	}
}

func TestDropOrderDoesNotMatter(t *testing.T) {
	ws := newWriters(t, 1, 3)
	areas := areasOf(ws)
	x, y := mustOpen(t, kv.NewMemory(0)), mustOpen(t, kv.NewMemory(0))
	fill(t, x, ws, 40, 2)
	fill(t, y, ws, 40, 3)
	dx, dy := createDrop(t, x, areas), createDrop(t, y, areas)
	xy, yx := mustOpen(t, kv.NewMemory(0)), mustOpen(t, kv.NewMemory(0))
	for _, step := range []struct {
		s *Store
		d []byte
	}{{xy, dx}, {xy, dy}, {yx, dy}, {yx, dx}} {
		if _, err := step.s.IngestDrop(context.Background(), bytes.NewReader(step.d), IngestDropOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if snapshot(t, xy, areas) != snapshot(t, yx, areas) {
		t.Fatal("ingesting two drops in different orders gave different stores")
	}
}

// TestBadDropsLeaveStoreUnchanged corrupts a drop in many ways and checks the
// receiving store is byte for byte what it was.
func TestBadDropsLeaveStoreUnchanged(t *testing.T) {
	ws := newWriters(t, 1, 2)
	areas := areasOf(ws)
	src := mustOpen(t, kv.NewMemory(0))
	rng := mrand.New(mrand.NewPCG(4, 4))
	for i := 0; i < 6; i++ {
		ws[i%2].write(t, src, path.MustFromStrings(fmt.Sprint("p", i)), entry.Timestamp(i), randomPayload(rng), false)
	}
	d := createDrop(t, src, areas)
	backend := kv.NewMemory(0)
	dst := mustOpen(t, backend)
	fill(t, dst, ws, 10, 5)
	before := dump(t, backend)
	cases := map[string][]byte{
		"truncated": d[:len(d)-1],
		"trailing":  append(append([]byte(nil), d...), 7),
	}
	for _, at := range []int{len(d) / 3, len(d) / 2, len(d) - 40, len(d) - 2} {
		m := append([]byte(nil), d...)
		m[at] ^= 0x10
		cases[fmt.Sprint("flip at ", at)] = m
	}
	for name, m := range cases {
		_, err := dst.IngestDrop(context.Background(), bytes.NewReader(m), IngestDropOptions{})
		if err == nil {
			t.Fatalf("%s: bad drop ingested", name)
		}
		var de *drop.Error
		if !errors.As(err, &de) {
			t.Errorf("%s: error %v is not a *drop.Error", name, err)
		}
		if after := dump(t, backend); after != before {
			t.Fatalf("%s: refused drop changed the store", name)
		}
	}
	// Cancellation half way.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := dst.IngestDrop(ctx, bytes.NewReader(d), IngestDropOptions{OnProgress: func(DropProgress) {
		if n++; n == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || dump(t, backend) != before {
		t.Fatalf("cancelled ingest: %v, store changed: %v", err, dump(t, backend) != before)
	}
	// A backend without room for it.
	small := kv.NewMemory(backend.Bytes() + 2000)
	var b kv.Batch
	for _, p := range mustDump(t, backend) {
		b.Put(p.Key, p.Value)
	}
	if err := small.Apply(&b); err != nil {
		t.Fatal(err)
	}
	smallStore := mustOpen(t, small)
	beforeSmall := dump(t, small)
	if _, err := smallStore.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{}); !errors.Is(err, kv.ErrQuota) {
		t.Fatalf("ingest into a full backend: %v; want kv.ErrQuota", err)
	}
	if dump(t, small) != beforeSmall {
		t.Fatal("ingest that ran out of quota changed the store")
	}
}

func mustDump(t testing.TB, s kv.Store) []kv.Pair {
	t.Helper()
	out, err := kv.Collect(s, kv.Range{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dump(t testing.TB, s kv.Store) string {
	var b bytes.Buffer
	for _, p := range mustDump(t, s) {
		fmt.Fprintf(&b, "%x=%x\n", p.Key, p.Value)
	}
	return b.String()
}

func TestOpenCleansUpInterruptedPayloadWrites(t *testing.T) {
	ws := newWriters(t, 1, 1)
	backend := kv.NewMemory(0)
	s := mustOpen(t, backend)
	payload := make([]byte, 5000)
	e := ws[0].write(t, s, path.MustFromStrings("x"), 1, payload, true)
	before := dump(t, backend)
	// A transaction that wrote payload data and then died before committing.
	other := e
	other.Path = path.MustFromStrings("y")
	big := bytes.Repeat([]byte("crash"), stagedPayloadLimit/4) // streams to the backend
	other.PayloadDigest = ids.PayloadDigest(bab.Sum(big))
	other.PayloadLength = uint64(len(big))
	txn := s.Begin()
	if _, err := txn.ingest(other, nil); err != nil {
		t.Fatal(err)
	}
	if err := txn.WritePayload(other, bytes.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	if dump(t, backend) == before {
		t.Fatal("test setup: the payload write did not reach the backend")
	}
	// The process dies here: no Commit, no Discard. Reopen.
	if _, err := Open(backend); err != nil {
		t.Fatal(err)
	}
	if dump(t, backend) != before {
		t.Fatal("Open did not remove the data of the interrupted transaction")
	}
}

// TestBadLargePayloadLeavesNoData corrupts the payload of an entry large
// enough to stream to the backend: the refused drop leaves no block behind.
func TestBadLargePayloadLeavesNoData(t *testing.T) {
	ws := newWriters(t, 1, 1)
	src := mustOpen(t, kv.NewMemory(0))
	payload := bytes.Repeat([]byte("0123456789abcdef"), 3*stagedPayloadLimit/16)
	ws[0].write(t, src, path.MustFromStrings("big"), 1, payload, false)
	d := createDrop(t, src, areasOf(ws))
	backend := kv.NewMemory(0)
	dst := mustOpen(t, backend)
	before := dump(t, backend)
	for _, at := range []int{len(d) - 2, len(d) - len(payload)/2} {
		m := append([]byte(nil), d...)
		m[at] ^= 1
		if _, err := dst.IngestDrop(context.Background(), bytes.NewReader(m), IngestDropOptions{}); !errors.Is(err, drop.ErrPayload) {
			t.Fatalf("flip at %d: %v; want drop.ErrPayload", at, err)
		}
		if dump(t, backend) != before {
			t.Fatalf("flip at %d: refused drop left data in the backend", at)
		}
	}
	if _, err := dst.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{}); err != nil {
		t.Fatal(err)
	}
	if snapshot(t, dst, areasOf(ws)) != snapshot(t, src, areasOf(ws)) {
		t.Fatal("the intact drop did not reproduce the store")
	}
}

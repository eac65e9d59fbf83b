package drop

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

// testItem is an entry to put in a drop, with its payload and the slices of
// it the drop carries (nil: none).
type testItem struct {
	ae      meadowcap.AuthorisedEntry
	payload []byte
	slices  []bab.Slice
}

func authorise(t testing.TB, e entry.Entry, c meadowcap.Capability, secret ids.SecretKey) meadowcap.AuthorisedEntry {
	t.Helper()
	token, err := meadowcap.Authorise(e, c, secret)
	if err != nil {
		t.Fatal(err)
	}
	ae, err := meadowcap.NewAuthorisedEntry(e, token)
	if err != nil {
		t.Fatal(err)
	}
	return ae
}

func encodeDrop(t testing.TB, items []testItem) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, it := range items {
		var p Payload
		if it.slices != nil {
			p = BytesPayload{Data: it.payload, Available: it.slices}
		}
		if err := w.Add(it.ae, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEmptyDrop(t *testing.T) {
	b := encodeDrop(t, nil)
	if !bytes.Equal(b, []byte{0}) {
		t.Fatalf("empty drop = %x; want 00", b)
	}
	sum, err := Verify(bytes.NewReader(b))
	if err != nil || sum.Items != 0 || sum.Bytes != 1 {
		t.Fatalf("Verify(empty) = %+v, %v", sum, err)
	}
}

// TestHandDerivedDrop checks one item field by field against the spec layout.
func TestHandDerivedDrop(t *testing.T) {
	ns, ss, secret := ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultSecretKey()
	c, err := meadowcap.NewCommunal(meadowcap.Write, ns, ss)
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte("hi")
	e := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: path.MustFromStrings("blog"), Timestamp: 5,
		PayloadLength: 2, PayloadDigest: ids.PayloadDigest(bab.Sum(payload))}
	ae := authorise(t, e, c, secret)
	got := encodeDrop(t, []testItem{{ae: ae, payload: payload, slices: []bab.Slice{bab.FullSlice(2)}}})
	sig := ae.Token().Signature()
	want := "41" + // 01 (entry), same namespace, same subspace, timestamp tag 00, mode 01
		"00" + "41626c6f67" + // path relative to the empty path: 0 shared, EncodePath([blog])
		"05" + // timestamp, one byte (tag 00)
		"02" + // payload length, standalone compact u64
		hex.EncodeToString(e.PayloadDigest[:]) +
		"10" + // token: communal, nice_hack 1 (share 0 delegations), 0 delegations
		hex.EncodeToString(sig[:]) +
		"6869" + // mode 01: the raw payload
		"00" // terminator
	if hex.EncodeToString(got) != want {
		t.Fatalf("drop =\n%x\nwant\n%s", got, want)
	}
	if _, err := Verify(bytes.NewReader(got)); err != nil {
		t.Fatal(err)
	}
}

// world makes random authorised entries over a few namespaces and subspaces,
// communal and owned, with delegations.
type world struct {
	rng   *rand.Rand
	users []user
}

type user struct {
	c      meadowcap.Capability
	secret ids.SecretKey
}

func newWorld(t testing.TB, seed uint64) *world {
	w := &world{rng: rand.New(rand.NewPCG(seed, 3))}
	seedReader := func() io.Reader { return &detRand{w.rng} }
	for i := 0; i < 2; i++ {
		ns, _, err := ids.GenerateCommunalNamespace(seedReader())
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 2; j++ {
			ss, secret, _ := ids.GenerateSubspace(seedReader())
			c, err := meadowcap.NewCommunal(meadowcap.Write, ns, ss)
			if err != nil {
				t.Fatal(err)
			}
			w.users = append(w.users, user{c, secret})
		}
	}
	owned, ownerSecret, err := ids.GenerateOwnedNamespace(seedReader())
	if err != nil {
		t.Fatal(err)
	}
	alfie, alfieSecret, _ := ids.GenerateSubspace(seedReader())
	betty, bettySecret, _ := ids.GenerateSubspace(seedReader())
	root, err := meadowcap.NewOwned(meadowcap.Write, ownerSecret, alfie)
	if err != nil {
		t.Fatal(err)
	}
	delegated, err := meadowcap.Delegate(root, alfieSecret, grouping.Area{Subspace: grouping.OnlySubspace(betty)}, betty)
	if err != nil {
		t.Fatal(err)
	}
	_ = owned
	w.users = append(w.users, user{root, alfieSecret}, user{delegated, bettySecret})
	return w
}

type detRand struct{ r *rand.Rand }

func (d *detRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(d.r.Uint32())
	}
	return len(p), nil
}

func (w *world) item(t testing.TB) testItem {
	u := w.users[w.rng.IntN(len(w.users))]
	area := u.c.GrantedArea()
	ss, ok := area.Subspace.ID()
	if !ok {
		ss = u.c.Receiver()
	}
	comps := []string{"a", "b", "blog", ""}
	p := area.Path
	for i := w.rng.IntN(3); i > 0; i-- {
		p, _ = p.Append([]byte(comps[w.rng.IntN(len(comps))]))
	}
	length := []int{0, 1, 1023, 1024, 1025, 3000, 5 * 1024, 70 * 1024}[w.rng.IntN(8)]
	payload := make([]byte, length)
	for i := range payload {
		payload[i] = byte(w.rng.Uint32())
	}
	e := entry.Entry{NamespaceID: u.c.GrantedNamespace(), SubspaceID: ss, Path: p,
		Timestamp: entry.Timestamp(w.rng.Uint64N(1 << uint(8*w.rng.IntN(8)))), PayloadLength: uint64(length),
		PayloadDigest: ids.PayloadDigest(bab.Sum(payload))}
	it := testItem{ae: authorise(t, e, u.c, u.secret), payload: payload}
	chunks := bab.ChunkCount(uint64(length))
	switch w.rng.IntN(4) {
	case 0: // none
	case 1:
		it.slices = []bab.Slice{bab.FullSlice(uint64(length))}
	case 2:
		it.slices = []bab.Slice{{Start: 0, Count: 1 + w.rng.Uint64N(chunks)}}
	case 3:
		for start := w.rng.Uint64N(chunks); start < chunks; {
			n := 1 + w.rng.Uint64N(min(3, chunks-start))
			it.slices = append(it.slices, bab.Slice{Start: start, Count: n})
			start += n + w.rng.Uint64N(3)
		}
	}
	return it
}

func TestRoundTrip(t *testing.T) {
	for seed := uint64(0); seed < 12; seed++ {
		w := newWorld(t, seed)
		var items []testItem
		for i := 0; i < 25; i++ {
			items = append(items, w.item(t))
		}
		b := encodeDrop(t, items)
		sum, err := Verify(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("seed %d: Verify: %v", seed, err)
		}
		if sum.Items != len(items) || sum.Bytes != int64(len(b)) {
			t.Fatalf("seed %d: summary %+v for %d items, %d bytes", seed, sum, len(items), len(b))
		}
		// Decode everything back, reading every slice through a verifier that
		// collects the chunks.
		r := NewReader(bytes.NewReader(b))
		for i, want := range items {
			item, err := r.Next()
			if err != nil {
				t.Fatalf("seed %d item %d: %v", seed, i, err)
			}
			if !item.Entry.Equal(want.ae.Entry()) || !item.Token.Equal(want.ae.Token()) {
				t.Fatalf("seed %d item %d: decoded entry or token differs", seed, i)
			}
			wantMode := chooseMode(item.Entry.PayloadLength, want.slices)
			if item.Mode != wantMode {
				t.Fatalf("seed %d item %d: mode %v; want %v", seed, i, item.Mode, wantMode)
			}
			known := bab.NewLabelCache()
			for j := 0; ; j++ {
				s, stream, err := r.NextSlice()
				if errors.Is(err, io.EOF) {
					if j != len(want.slices) {
						t.Fatalf("seed %d item %d: %d slices; want %d", seed, i, j, len(want.slices))
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if s.Chunks != want.slices[j] {
					t.Fatalf("seed %d item %d slice %d: %+v; want %+v", seed, i, j, s.Chunks, want.slices[j])
				}
				var got []byte
				v, err := bab.NewVerifier(bab.VerifierConfig{Digest: bab.Digest(item.Entry.PayloadDigest), Length: item.Entry.PayloadLength,
					Slice: s.Chunks, Options: s.Options, Known: known, OnVertex: known.Record,
					OnChunk: func(_ uint64, c []byte) error { got = append(got, c...); return nil }})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.Copy(v, stream); err != nil {
					t.Fatal(err)
				}
				if err := v.Close(); err != nil {
					t.Fatal(err)
				}
				lo := s.Chunks.Start * bab.ChunkSize
				hi := min((s.Chunks.Start+s.Chunks.Count)*bab.ChunkSize, uint64(len(want.payload)))
				if !bytes.Equal(got, want.payload[lo:hi]) {
					t.Fatalf("seed %d item %d slice %d: payload bytes differ", seed, i, j)
				}
			}
		}
		if _, err := r.Next(); !errors.Is(err, io.EOF) {
			t.Fatalf("seed %d: after the last item: %v; want io.EOF", seed, err)
		}
	}
}

// TestMutationsNeverAcceptForgeries flips a bit of every byte and cuts at
// every length: the result is refused, or every entry in it verifies (a flip
// can only survive where the format allows another code for the same data).
func TestMutationsNeverAcceptForgeries(t *testing.T) {
	w := newWorld(t, 42)
	var items []testItem
	for len(items) < 4 {
		it := w.item(t)
		if it.ae.Entry().PayloadLength > 1100 {
			continue // keep the drop small: every bit is mutated
		}
		items = append(items, it)
	}
	b := encodeDrop(t, items)
	accepted := 0
	check := func(what string, m []byte, inspect bool) {
		_, verr := Verify(bytes.NewReader(m))
		if verr == nil {
			accepted++
		} else {
			var de *Error
			if !errors.As(verr, &de) {
				t.Fatalf("%s: error is not a *drop.Error: %v", what, verr)
			}
		}
		if !inspect {
			return
		}
		var bad error
		err := Inspect(bytes.NewReader(m), func(in Inspected) error {
			if !in.Authorised && bad == nil {
				bad = in.AuthError
			}
			return nil
		})
		if (err == nil && bad == nil) != (verr == nil) {
			t.Fatalf("%s: Inspect (%v, unauthorised %v) and Verify (%v) disagree", what, err, bad, verr)
		}
	}
	// One random bit of every byte (all eight would multiply the run time for
	// little more coverage: every byte is hit either way).
	step := 1
	if testing.Short() {
		step = 5 // under wasm: a fifth of the positions
	}
	for i := 0; i < len(b); i += step {
		bit := w.rng.IntN(8)
		m := append([]byte(nil), b...)
		m[i] ^= 1 << bit
		check(fmt.Sprintf("flip byte %d bit %d", i, bit), m, i%(16*step) == 0)
	}
	for n := 0; n < len(b); n += step {
		if _, err := Verify(bytes.NewReader(b[:n])); err == nil {
			t.Fatalf("drop cut to %d of %d bytes accepted", n, len(b))
		}
	}
	if _, err := Verify(bytes.NewReader(append(append([]byte(nil), b...), 0))); !errors.Is(err, ErrTrailingBytes) {
		t.Fatalf("trailing byte: %v; want ErrTrailingBytes", err)
	}
	t.Logf("%d bytes, %d bit flips, %d accepted (each verified)", len(b), (len(b)+step-1)/step, accepted)
}

func TestReaderRejects(t *testing.T) {
	for name, c := range map[string]struct {
		drop []byte
		want error
	}{
		"no terminator": {nil, ErrTruncated},
		"bad header":    {[]byte{0x80, 0}, ErrBadHeader},
		"trailing":      {[]byte{0, 0}, ErrTrailingBytes},
		"cut entry":     {[]byte{0x40, 0x00}, ErrTruncated},
	} {
		_, err := Verify(bytes.NewReader(c.drop))
		var de *Error
		if !errors.Is(err, c.want) || !errors.As(err, &de) {
			t.Errorf("%s: %v; want %v in a *drop.Error", name, err, c.want)
		}
	}
}

func TestUnauthorisedEntryRefused(t *testing.T) {
	w := newWorld(t, 9)
	it := w.item(t)
	// Re-pair the entry with a token for another entry.
	other := w.item(t)
	forged := meadowcap.AuthorisedEntryFromTrustedStorage(it.ae.Entry(), other.ae.Token())
	b := encodeDropUnchecked(t, forged)
	if _, err := Verify(bytes.NewReader(b)); !errors.Is(err, ErrUnauthorised) {
		t.Fatalf("Verify = %v; want ErrUnauthorised", err)
	}
}

func encodeDropUnchecked(t *testing.T, ae meadowcap.AuthorisedEntry) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Add(ae, nil); err != nil {
		t.Skipf("token cannot be encoded relative to this entry (%v); the forgery is not expressible", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzReader(f *testing.F) {
	w := newWorld(f, 1)
	for i := 0; i < 4; i++ {
		it := w.item(f)
		if it.ae.Entry().PayloadLength < 4000 {
			f.Add(encodeDrop(f, []testItem{it}))
		}
	}
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		sum, err := Verify(bytes.NewReader(b))
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error is not a *drop.Error: %v", err)
			}
			return
		}
		if sum.Bytes != int64(len(b)) {
			t.Fatalf("accepted drop of %d bytes but consumed %d", len(b), sum.Bytes)
		}
		// An accepted drop re-encodes to a drop that is accepted too.
		r := NewReader(bytes.NewReader(b))
		var buf bytes.Buffer
		dw := NewWriter(&buf)
		for {
			item, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			ae, err := meadowcap.NewAuthorisedEntry(item.Entry, item.Token)
			if err != nil {
				t.Fatal(err)
			}
			if err := dw.Add(ae, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := dw.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(&buf); err != nil {
			t.Fatalf("re-encoded drop refused: %v", err)
		}
	})
}

package meadowcap

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// node is a write capability in a delegation tree, with its receiver's secret.
type node struct {
	cap    Capability
	secret ids.SecretKey
}

// capTree builds write capabilities in two communal and one owned namespace,
// delegated in trees so that many share delegation prefixes.
func capTree(t testing.TB, k *keys) []node {
	t.Helper()
	var out []node
	deleg := func(parent node, a grouping.Area) node {
		u, sk := k.user(t)
		c, err := Delegate(parent.cap, parent.secret, a, u)
		mustNoErr(t, err)
		n := node{cap: c, secret: sk}
		out = append(out, n)
		return n
	}
	open0 := grouping.NewOpenRange(entry.Timestamp(0))
	for range 2 {
		ns, _ := k.communal(t)
		u, sk := k.user(t)
		c, err := NewCommunal(Write, ns, u)
		mustNoErr(t, err)
		root := node{cap: c, secret: sk}
		out = append(out, root)
		sub := grouping.OnlySubspace(u)
		a := deleg(root, area(sub, mustPath("a"), open0))
		b := deleg(root, area(sub, mustPath("b"), closedTimes(t, 5, 5000)))
		deleg(a, area(sub, mustPath("a", "x"), open0))
		d := deleg(a, area(sub, mustPath("a", "y"), closedTimes(t, 10, 900)))
		deleg(d, area(sub, mustPath("a", "y", "z"), closedTimes(t, 11, 899)))
		deleg(b, area(sub, mustPath("b"), closedTimes(t, 6, 4000)))
	}
	ns, nsSK := k.owned(t)
	_ = ns
	u, sk := k.user(t)
	c, err := NewOwned(Write, nsSK, u)
	mustNoErr(t, err)
	root := node{cap: c, secret: sk}
	out = append(out, root)
	s1, _ := k.user(t)
	e := deleg(root, area(grouping.AnySubspace(), mustPath("a"), open0))
	f := deleg(root, area(grouping.OnlySubspace(s1), path.Path{}, closedTimes(t, 0, 1<<40)))
	g := deleg(e, area(grouping.OnlySubspace(s1), mustPath("a", "b"), open0))
	deleg(e, area(grouping.AnySubspace(), mustPath("a"), closedTimes(t, 5, 500)))
	deleg(g, area(grouping.OnlySubspace(s1), mustPath("a", "b", "c"), closedTimes(t, 1, 1<<41)))
	deleg(f, area(grouping.OnlySubspace(s1), mustPath("q"), closedTimes(t, 100, 200)))
	// A second owned root for the same namespace: same namespace, other user.
	u2, sk2 := k.user(t)
	c2, err := NewOwned(Write, nsSK, u2)
	mustNoErr(t, err)
	r2 := node{cap: c2, secret: sk2}
	out = append(out, r2)
	deleg(r2, area(grouping.OnlySubspace(s1), mustPath("a"), open0))
	return out
}

// entryIn returns a random entry inside the granted area of c.
func entryIn(t testing.TB, rng *rand.Rand, k *keys, c Capability) entry.Entry {
	t.Helper()
	a := c.GrantedArea()
	ss, ok := a.Subspace.ID()
	if !ok {
		ss, _ = k.user(t)
	}
	p := a.Path
	for range rng.IntN(3) {
		var err error
		p, err = p.Append([]byte{byte('a' + rng.IntN(3))})
		mustNoErr(t, err)
	}
	ts := uint64(a.Times.Start())
	if end, closed := a.Times.End(); closed {
		ts += rng.Uint64N(uint64(end) - ts)
	} else {
		ts += rng.Uint64N(1 << 20)
	}
	return entry.Entry{NamespaceID: c.GrantedNamespace(), SubspaceID: ss, Path: p, Timestamp: entry.Timestamp(ts),
		PayloadLength: rng.Uint64N(5000), PayloadDigest: ids.PayloadDigest{byte(rng.Uint32())}}
}

func TestTokenRelativeRoundTrips(t *testing.T) {
	k := newKeys(11)
	rng := rand.New(rand.NewPCG(1, 2))
	pool := capTree(t, k)
	prior := DefaultAuthorisationToken()
	sharedSeen, ownedReuse := 0, 0
	for step := 0; step < 400; step++ {
		n := pool[rng.IntN(len(pool))]
		e := entryIn(t, rng, k, n.cap)
		tok, err := Authorise(e, n.cap, n.secret)
		mustNoErr(t, err)
		code, err := AppendEncodeTokenRelative(nil, tok, prior, e)
		if err != nil {
			t.Fatalf("step %d: encode: %v", step, err)
		}
		if shared, hack := sharedPrefix(tok.Capability(), prior.Capability()); shared > 0 {
			sharedSeen++
		} else if hack > 0 && tok.Capability().IsOwned() {
			ownedReuse++
		}
		d := codec.NewDecoder(append(code, 0xaa), codec.Relation) // trailing byte belongs to the next item
		got, err := DecodeTokenRelative(d, prior, e)
		if err != nil || !got.Equal(tok) || d.Remaining() != 1 {
			t.Fatalf("step %d: decode: %v (equal %v, remaining %d)", step, err, got.Equal(tok), d.Remaining())
		}
		if err := CheckAuthorisedWrite(e, got); err != nil {
			t.Fatalf("step %d: decoded token does not authorise: %v", step, err)
		}
		// Every proper prefix is rejected.
		for i := 0; i < len(code); i++ {
			_, err := DecodeTokenRelative(codec.NewDecoder(code[:i], codec.Relation), prior, e)
			var de *codec.DecodeError
			if err == nil || !errors.As(err, &de) {
				t.Fatalf("step %d: truncation to %d of %d bytes: %v", step, i, len(code), err)
			}
		}
		prior = tok
	}
	if sharedSeen < 20 || ownedReuse < 5 {
		t.Errorf("too few shared prefixes exercised: %d shared, %d owned roots reused", sharedSeen, ownedReuse)
	}
	t.Logf("400 tokens: %d with shared delegations, %d owned with a reused root and nothing else shared", sharedSeen, ownedReuse)
}

func TestTokenRelativeKnownBytes(t *testing.T) {
	def := DefaultAuthorisationToken()
	e := entry.Default(ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest())
	code, err := AppendEncodeTokenRelative(nil, def, def, e)
	mustNoErr(t, err)
	sig := def.Signature()
	// communal, nice_hack = shared + 1 = 1 (3-bit tag 001), no delegations.
	if want := append([]byte{0x10}, sig[:]...); !bytes.Equal(code, want) {
		t.Fatalf("default token relative to itself = %x, want %x", code, want)
	}

	// A private area: (any, [blog], [0, ∞)) relative to ctx_{−1} (the
	// subspace area of the entry's subspace) for an entry at [blog, hello]:
	// header 0xe0 (differs, any, start_from_start), start_diff 00, then the
	// private path: lcp count 01 and nothing else.
	ss := ids.DefaultSubspaceID()
	ent := mkEntry(ids.DefaultNamespaceID(), ss, mustPath("blog", "hello"), 7)
	ctx := PrivateAreaContext{Private: PrivateInterestOfEntry(ent), Rel: grouping.SubspaceArea(ss)}
	val := area(grouping.AnySubspace(), mustPath("blog"), grouping.NewOpenRange(entry.Timestamp(0)))
	got, err := AppendEncodePrivateAreaAlmostInArea(nil, val, ctx)
	mustNoErr(t, err)
	if hex.EncodeToString(got) != "e00001" {
		t.Fatalf("private area code = %x, want e00001", got)
	}
	back, err := DecodePrivateAreaAlmostInArea(codec.NewDecoder(got, codec.Relation), ctx)
	if err != nil || !back.Equal(val) {
		t.Fatalf("private area decode: %v", err)
	}
	// The same area with the entry's subspace: header 0x20, no subspace.
	val.Subspace = grouping.OnlySubspace(ss)
	got, err = AppendEncodePrivateAreaAlmostInArea(nil, val, ctx)
	mustNoErr(t, err)
	if hex.EncodeToString(got) != "200001" {
		t.Fatalf("private area code = %x, want 200001", got)
	}
}

func TestPrivatePathExtendsPath(t *testing.T) {
	p := mustPath
	cases := []struct {
		val, private, rel path.Path
		want              string
	}{
		{p("a", "b"), p("a"), p("a"), "1162"},                   // private no longer than rel: path extends rel
		{p("a"), p("a", "b", "c"), p(), "01"},                   // val is a prefix of private: count only
		{p("a", "b", "c", "d"), p("a", "b"), p(), "0222016364"}, // private prefixes val: count and the rest
		{p("a", "b"), p("a", "b"), p("a"), "0200"},              // val = private: count and the empty path
	}
	for _, c := range cases {
		got, err := AppendEncodePrivatePathExtendsPath(nil, c.val, c.private, c.rel)
		mustNoErr(t, err)
		if hex.EncodeToString(got) != c.want {
			t.Errorf("%v rel (%v, %v) = %x, want %s", c.val, c.private, c.rel, got, c.want)
		}
		back, err := DecodePrivatePathExtendsPath(codec.NewDecoder(got, codec.Relation), c.private, c.rel)
		if err != nil || !back.Equal(c.val) {
			t.Errorf("%v: decode: %v %v", c.val, back, err)
		}
	}
	// Outside the domain.
	if _, err := AppendEncodePrivatePathExtendsPath(nil, p("x"), p("a"), p()); !errors.Is(err, ErrNotEncodable) {
		t.Errorf("unrelated private path: %v", err)
	}
	if _, err := AppendEncodePrivatePathExtendsPath(nil, p("a"), p("a"), p("b")); !errors.Is(err, ErrNotEncodable) {
		t.Errorf("rel not a prefix: %v", err)
	}
	// Decoders refuse counts beyond the private path and results rel does
	// not prefix.
	for _, bad := range []struct {
		code         string
		private, rel path.Path
	}{
		{"04", p("a", "b", "c"), p()},
		{"00", p("a", "b", "c"), p("a")},
		{"0100", p("a", "b"), p("x")},
		{"1178", p("a"), p("b", "c")},
	} {
		b, _ := hex.DecodeString(bad.code)
		if _, err := DecodePrivatePathExtendsPath(codec.NewDecoder(b, codec.Relation), bad.private, bad.rel); err == nil {
			t.Errorf("code %s relative to (%v, %v) decodes", bad.code, bad.private, bad.rel)
		}
	}
}

// TestTokenRelativeBadFlags mutates header fields of valid codes and checks
// that the decoder refuses them.
func TestTokenRelativeBadFlags(t *testing.T) {
	k := newKeys(12)
	pool := capTree(t, k)
	rng := rand.New(rand.NewPCG(3, 4))
	communalRoot, communalDeep, ownedRoot, ownedDeep := pool[0], pool[5], pool[14], pool[18]
	sign := func(n node) (AuthorisationToken, entry.Entry) {
		e := entryIn(t, rng, k, n.cap)
		tok, err := Authorise(e, n.cap, n.secret)
		mustNoErr(t, err)
		return tok, e
	}
	reject := func(what string, code []byte, prior AuthorisationToken, e entry.Entry) {
		t.Helper()
		if _, err := DecodeTokenRelative(codec.NewDecoder(code, codec.Relation), prior, e); err == nil {
			t.Errorf("%s: decodes", what)
		} else if !errors.Is(err, codec.ErrInvalid) && !errors.Is(err, codec.ErrTruncated) {
			t.Errorf("%s: unexpected error kind: %v", what, err)
		}
	}
	priorC, _ := sign(communalDeep)
	priorO, _ := sign(ownedDeep)

	tok, e := sign(communalDeep)
	code, err := AppendEncodeTokenRelative(nil, tok, priorC, e)
	mustNoErr(t, err)
	if code[0]&0x70 == 0 {
		t.Fatal("expected a nonzero nice_hack")
	}
	// nice_hack 0 against a communal prior.
	mut := append([]byte(nil), code...)
	mut[0] &^= 0x70
	reject("communal, nice_hack 0 with a communal prior", mut, priorC, e)
	// Sharing more than the prior has: nice_hack 7 needs one byte; use the
	// inline maximum 3 (shares 2) against a prior with no delegations.
	mut = append([]byte(nil), code...)
	mut[0] = mut[0]&^0x70 | 0x30
	reject("communal, sharing more delegations than the prior has", mut, DefaultAuthorisationToken(), e)
	// A communal code against an owned prior with nice_hack > 0.
	reject("communal, nice_hack > 0 with an owned prior", code, priorO, e)
	// Kind bit flipped.
	mut = append([]byte(nil), code...)
	mut[0] ^= 0x80
	reject("kind bit flipped", mut, priorC, e)
	// Delegation count larger than the input can hold.
	mut = append([]byte(nil), code...)
	mut[0] |= 0x0b
	reject("delegation count beyond the input", mut, priorC, e)

	tok, e = sign(ownedDeep)
	code, err = AppendEncodeTokenRelative(nil, tok, priorC, e)
	mustNoErr(t, err)
	if code[0]&0xf0 != 0x80 {
		t.Fatalf("owned token after a communal prior should have nice_hack 0, header %#02x", code[0])
	}
	mut = append([]byte(nil), code...)
	mut[0] |= 0x10
	reject("owned, nice_hack 1 with a communal prior", mut, priorC, e)
	// The same code relative to an owned prior with the same root: nice_hack
	// 0 is not allowed there.
	sameRoot, e2 := sign(ownedDeep)
	code, err = AppendEncodeTokenRelative(nil, sameRoot, priorC, e2)
	mustNoErr(t, err)
	reject("owned, nice_hack 0 but the prior has the same root", code, tok, e2)

	// Private area header contradictions: a communal capability with one
	// delegation relative to an owned prior (nothing shared), whose area
	// header follows the 2-byte capability header.
	tok, e = sign(pool[1]) // communal root → delegation to [a]
	code, err = AppendEncodeTokenRelative(nil, tok, priorO, e)
	mustNoErr(t, err)
	if code[0] != 0x01 {
		t.Fatalf("unexpected header %#02x", code[0])
	}
	for _, flip := range []byte{0x80, 0x40, 0x20} {
		mut = append([]byte(nil), code...)
		mut[1] ^= flip
		reject("private area header bit flipped", mut, priorO, e)
	}
	// The entry outside the decoded capability's area. (Paths cannot show
	// this: the private encoding takes path components from the entry, so
	// against another entry the code decodes to another area. Time ranges
	// are explicit.)
	tok, e = sign(pool[2]) // communal root → delegation to [b], [5, 5000)
	code, err = AppendEncodeTokenRelative(nil, tok, priorO, e)
	mustNoErr(t, err)
	far := e
	far.Timestamp = 6000
	reject("entry outside the granted area", code, priorO, far)

	// Encoders refuse tokens outside the relation's domain.
	if _, err := AppendEncodeTokenRelative(nil, tok, priorO, far); !errors.Is(err, ErrNotEncodable) {
		t.Errorf("encoding for an entry outside the area: %v", err)
	}
	readCap := NewUncheckedCommunal(Read, e.NamespaceID, e.SubspaceID, nil)
	if _, err := AppendEncodeTokenRelative(nil, NewAuthorisationToken(readCap, ids.Signature{}), priorO, e); !errors.Is(err, ErrNotEncodable) {
		t.Errorf("encoding a read capability: %v", err)
	}
	_ = communalRoot
	_ = ownedRoot
}

// TestTokenRelativeSharedContext pins the spec's choice of context for the
// first delegation after the shared ones: ctx_{shared−1} (the last shared
// area), not ctx_{−1} as willow-rs (September 2025) did.
func TestTokenRelativeSharedContext(t *testing.T) {
	k := newKeys(13)
	pool := capTree(t, k)
	priorNode, n := pool[2], pool[6] // [b] [5, 5000) and its child [b] [6, 4000)
	e := mkEntry(n.cap.GrantedNamespace(), n.cap.User(), mustPath("b"), 100)
	priorEntry := mkEntry(n.cap.GrantedNamespace(), n.cap.User(), mustPath("b"), 50)
	prior, err := Authorise(priorEntry, priorNode.cap, priorNode.secret)
	mustNoErr(t, err)
	tok, err := Authorise(e, n.cap, n.secret)
	mustNoErr(t, err)
	code, err := AppendEncodeTokenRelative(nil, tok, prior, e)
	mustNoErr(t, err)
	d := n.cap.Delegation(1)
	user, sig, tsig := d.User(), d.Signature(), tok.Signature()
	// Header 0x22: communal, nice_hack 2 (one shared), two delegations.
	// Area header 0x21: start from start (6−5 = 1, one byte), end from end
	// (5000−4000 = 1000, two bytes); the path adds nothing (00).
	want := []byte{0x22, 0x21, 0x01, 0x03, 0xe8, 0x00}
	want = append(append(append(want, user[:]...), sig[:]...), tsig[:]...)
	if !bytes.Equal(code, want) {
		t.Fatalf("code\n got %x\nwant %x", code, want)
	}
}

func TestKindSpecificRelativeEncoders(t *testing.T) {
	k := newKeys(14)
	pool := capTree(t, k)
	rng := rand.New(rand.NewPCG(5, 5))
	prior := DefaultAuthorisationToken().Capability()
	for _, n := range []node{pool[1], pool[15]} {
		e := entryIn(t, rng, k, n.cap)
		both, err := AppendEncodeCapabilityRelative(nil, n.cap, prior, e)
		mustNoErr(t, err)
		com, errC := AppendEncodeCommunalCapabilityRelative(nil, n.cap, prior, e)
		own, errO := AppendEncodeOwnedCapabilityRelative(nil, n.cap, prior, e)
		if n.cap.IsOwned() && (errO != nil || !bytes.Equal(own, both) || !errors.Is(errC, ErrNotEncodable)) ||
			!n.cap.IsOwned() && (errC != nil || !bytes.Equal(com, both) || !errors.Is(errO, ErrNotEncodable)) {
			t.Errorf("kind-specific relative encoders disagree (owned %v): %v %v", n.cap.IsOwned(), errC, errO)
		}
	}
}

package meadowcap

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"

	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// chain is a capability with the secrets of all its receivers.
type chain struct {
	cap     Capability
	secrets []ids.SecretKey // secrets[i] is the receiver's after i delegations
	nsSK    ids.SecretKey   // the namespace secret (owned) or zero
	entry   entry.Entry     // an entry inside the granted area
}

// buildChain builds a capability of the given kind and mode with n
// delegations, each narrowing the area.
func buildChain(t testing.TB, k *keys, owned bool, mode AccessMode, n int) chain {
	t.Helper()
	var ch chain
	genesis, genesisSK := k.user(t)
	var ns ids.NamespaceID
	var err error
	if owned {
		ns, ch.nsSK = k.owned(t)
		ch.cap, err = NewOwned(mode, ch.nsSK, genesis)
	} else {
		ns, _ = k.communal(t)
		ch.cap, err = NewCommunal(mode, ns, genesis)
	}
	mustNoErr(t, err)
	ch.secrets = []ids.SecretKey{genesisSK}
	// The entry's subspace: the genesis user for communal capabilities (the
	// only possible one), another key for owned ones.
	ss := genesis
	if owned {
		ss, _ = k.user(t)
	}
	ch.entry = mkEntry(ns, ss, mustPath("a", "b", "c", "d", "e"), 100)
	comps := []string{"a", "b", "c", "d"}
	for i := 1; i <= n; i++ {
		sub := grouping.OnlySubspace(ss)
		if owned && i == 1 {
			sub = grouping.AnySubspace()
		}
		times := grouping.NewOpenRange(entry.Timestamp(0))
		if i >= 2 {
			times = closedTimes(t, uint64(10*i), uint64(1000-10*i))
		}
		a := area(sub, mustPath(comps[:min(i, len(comps))]...), times)
		next, nextSK := k.user(t)
		ch.cap, err = Delegate(ch.cap, ch.secrets[len(ch.secrets)-1], a, next)
		mustNoErr(t, err)
		ch.secrets = append(ch.secrets, nextSK)
	}
	return ch
}

func (ch chain) receiverSecret() ids.SecretKey { return ch.secrets[len(ch.secrets)-1] }

// wantKind fails unless err is an *Error of the kind (and delegation index,
// unless any).
func wantKind(t *testing.T, what string, err, kind error, delegation int) {
	t.Helper()
	var me *Error
	if !errors.Is(err, kind) || !errors.As(err, &me) {
		t.Errorf("%s: got %v, want %v", what, err, kind)
		return
	}
	if delegation != anyDelegation && me.Delegation != delegation {
		t.Errorf("%s: error names delegation %d, want %d (%v)", what, me.Delegation, delegation, err)
	}
}

const anyDelegation = -2

func TestDelegationChains(t *testing.T) {
	k := newKeys(1)
	for _, owned := range []bool{false, true} {
		for _, mode := range []AccessMode{Read, Write} {
			for n := 0; n <= 4; n++ {
				name := fmt.Sprintf("owned=%v/%v/%d", owned, mode, n)
				t.Run(name, func(t *testing.T) {
					ch := buildChain(t, k, owned, mode, n)
					c := ch.cap
					if err := c.Validate(); err != nil {
						t.Fatalf("valid chain rejected: %v", err)
					}
					if c.NumDelegations() != n || c.IsOwned() != owned || c.AccessMode() != mode {
						t.Fatalf("wrong shape: %d delegations, owned %v, mode %v", c.NumDelegations(), c.IsOwned(), c.AccessMode())
					}
					if c.Receiver() != ids.SubspaceID(ch.receiverSecret().PublicKey()) {
						t.Fatal("receiver is not the last delegated user")
					}
					// Round trip through the absolute encodings, canonic.
					code, err := EncodeMcCapability(c)
					mustNoErr(t, err)
					d, err := decodeAllCanonic(code, DecodeMcCapability)
					if err != nil || !d.Equal(c) {
						t.Fatalf("round trip: %v", err)
					}
					testAuthorisation(t, ch)
					testForgeries(t, ch)
				})
			}
		}
	}
}

func testAuthorisation(t *testing.T, ch chain) {
	t.Helper()
	c, e := ch.cap, ch.entry
	tok, err := Authorise(e, c, ch.receiverSecret())
	if c.AccessMode() == Read {
		wantKind(t, "Authorise with a read capability", err, ErrNotWriteCapability, NoDelegation)
		// A token with a read capability and a correct signature.
		forged := NewAuthorisationToken(c, ch.receiverSecret().Sign(entry.Encode(e)))
		wantKind(t, "read capability used to write", CheckAuthorisedWrite(e, forged), ErrNotWriteCapability, NoDelegation)
		if IsAuthorisedWrite(e, forged) {
			t.Error("IsAuthorisedWrite accepts a read capability")
		}
		return
	}
	mustNoErr(t, err)
	if err := CheckAuthorisedWrite(e, tok); err != nil {
		t.Fatalf("valid token rejected: %v", err)
	}
	ae, err := NewAuthorisedEntry(e, tok)
	mustNoErr(t, err)
	if !ae.Entry().Equal(e) || !ae.Token().Equal(tok) {
		t.Error("AuthorisedEntry does not hold its parts")
	}

	// Receiver mismatch: signed by someone else (the genesis user, or a
	// stranger when there are no delegations).
	other := ch.secrets[0]
	if c.NumDelegations() == 0 {
		_, other = newKeys(99).user(t)
	}
	_, err = Authorise(e, c, other)
	wantKind(t, "Authorise with a secret that is not the receiver's", err, ErrWrongSecret, NoDelegation)
	wrongSigner := NewAuthorisationToken(c, other.Sign(entry.Encode(e)))
	wantKind(t, "token signed by a non-receiver", CheckAuthorisedWrite(e, wrongSigner), ErrEntrySignature, NoDelegation)
	if _, err := NewAuthorisedEntry(e, wrongSigner); err == nil {
		t.Error("NewAuthorisedEntry accepts a bad token")
	}

	// The signed entry changed after signing.
	e2 := e
	e2.PayloadLength++
	wantKind(t, "entry changed after signing", CheckAuthorisedWrite(e2, tok), ErrEntrySignature, NoDelegation)

	// Entries outside the granted area: another path, a later time, another
	// subspace (only where the area restricts them).
	outside := e
	outside.Path = mustPath("z")
	if c.GrantedArea().Path.Len() > 0 {
		_, err := Authorise(outside, c, ch.receiverSecret())
		wantKind(t, "Authorise outside the area (path)", err, ErrEntryOutsideArea, NoDelegation)
		forged := NewAuthorisationToken(c, ch.receiverSecret().Sign(entry.Encode(outside)))
		wantKind(t, "entry outside the area (path)", CheckAuthorisedWrite(outside, forged), ErrEntryOutsideArea, NoDelegation)
	}
	if !c.GrantedArea().Times.IsOpen() {
		late := e
		late.Timestamp = 5000
		forged := NewAuthorisationToken(c, ch.receiverSecret().Sign(entry.Encode(late)))
		wantKind(t, "entry outside the area (time)", CheckAuthorisedWrite(late, forged), ErrEntryOutsideArea, NoDelegation)
	}
	if !c.GrantedArea().Subspace.IsAny() {
		moved := e
		moved.SubspaceID, _ = newKeys(98).user(t)
		forged := NewAuthorisationToken(c, ch.receiverSecret().Sign(entry.Encode(moved)))
		wantKind(t, "entry outside the area (subspace)", CheckAuthorisedWrite(moved, forged), ErrEntryOutsideArea, NoDelegation)
	}

	// Another namespace of the same kind.
	elsewhere := e
	if c.IsOwned() {
		elsewhere.NamespaceID, _ = newKeys(97).owned(t)
	} else {
		elsewhere.NamespaceID, _ = newKeys(97).communal(t)
	}
	_, err = Authorise(elsewhere, c, ch.receiverSecret())
	wantKind(t, "Authorise in another namespace", err, ErrNamespaceMismatch, NoDelegation)
	forged := NewAuthorisationToken(c, ch.receiverSecret().Sign(entry.Encode(elsewhere)))
	wantKind(t, "entry in another namespace", CheckAuthorisedWrite(elsewhere, forged), ErrNamespaceMismatch, NoDelegation)
}

func testForgeries(t *testing.T, ch chain) {
	t.Helper()
	c := ch.cap
	rebuild := func(ds []Delegation, initialAuth ids.Signature) Capability {
		if c.IsOwned() {
			return NewUncheckedOwned(c.AccessMode(), c.GrantedNamespace(), c.User(), initialAuth, ds)
		}
		return NewUncheckedCommunal(c.AccessMode(), c.GrantedNamespace(), c.User(), ds)
	}
	// Rebuilding from parts gives the same valid capability.
	if same := rebuild(c.Delegations(), c.InitialAuthorisation()); !same.Equal(c) || same.Validate() != nil {
		t.Fatal("rebuilding from parts changes the capability")
	}
	if c.IsOwned() {
		auth := c.InitialAuthorisation()
		auth[3] ^= 0x40
		wantKind(t, "tampered initial authorisation", rebuild(c.Delegations(), auth).Validate(), ErrInitialAuthorisation, NoDelegation)
		// An initial authorisation for the other access mode.
		other := Read
		if c.AccessMode() == Read {
			other = Write
		}
		swapped := ch.nsSK.Sign(InitialAuthorisationMessage(other, c.User()))
		wantKind(t, "initial authorisation of the other mode", rebuild(c.Delegations(), swapped).Validate(), ErrInitialAuthorisation, NoDelegation)
		if _, err := NewOwnedWithAuthorisation(c.AccessMode(), c.GrantedNamespace(), c.User(), swapped); !errors.Is(err, ErrInitialAuthorisation) {
			t.Errorf("NewOwnedWithAuthorisation accepts a bad authorisation: %v", err)
		}
		if _, err := NewOwnedWithAuthorisation(c.AccessMode(), c.GrantedNamespace(), c.User(), c.InitialAuthorisation()); err != nil {
			t.Errorf("NewOwnedWithAuthorisation rejects a good authorisation: %v", err)
		}
		// The same owned capability claimed for a communal namespace key.
		cns, _ := newKeys(96).communal(t)
		wantKind(t, "owned capability for a communal namespace",
			NewUncheckedOwned(c.AccessMode(), cns, c.User(), c.InitialAuthorisation(), c.Delegations()).Validate(), ErrNamespaceKind, NoDelegation)
		if _, err := NewOwned(c.AccessMode(), ch.secrets[0], c.User()); ids.NamespaceID(ch.secrets[0].PublicKey()).IsCommunal() && !errors.Is(err, ErrNamespaceKind) {
			t.Errorf("NewOwned with a communal namespace secret: %v", err)
		}
	} else {
		ons, _ := newKeys(95).owned(t)
		bad := NewUncheckedCommunal(c.AccessMode(), ons, c.User(), c.Delegations())
		wantKind(t, "communal capability for an owned namespace", bad.Validate(), ErrNamespaceKind, NoDelegation)
		if c.NumDelegations() > 0 {
			// The chain itself is fine apart from the namespace kind? No: the
			// namespace key is part of the first handover, so the chain breaks
			// too; Validate reports the kind first.
			wantKind(t, "communal chain moved to another namespace", bad.CheckChain(), ErrDelegationSignature, 0)
		}
		if _, err := NewCommunal(c.AccessMode(), ons, c.User()); !errors.Is(err, ErrNamespaceKind) {
			t.Errorf("NewCommunal with an owned namespace: %v", err)
		}
		if c.AccessMode() == Write {
			e := ch.entry
			e.NamespaceID = ons
			tok := NewAuthorisationToken(NewUncheckedCommunal(Write, ons, c.User(), nil), ch.secrets[0].Sign(entry.Encode(e)))
			wantKind(t, "communal token in an owned namespace", CheckAuthorisedWrite(e, tok), ErrNamespaceKind, NoDelegation)
		}
	}
	for i := 0; i < c.NumDelegations(); i++ {
		ds := c.Delegations()
		d := ds[i]
		// Tampered signature bytes.
		sig := d.Signature()
		sig[63] ^= 0x01
		ds[i] = NewDelegation(d.Area(), d.User(), sig)
		wantKind(t, fmt.Sprintf("tampered signature %d", i), rebuild(ds, c.InitialAuthorisation()).Validate(), ErrDelegationSignature, i)
		// Signed by the wrong key (the new user itself instead of the
		// previous receiver), over the right handover.
		prev := rebuild(c.Delegations()[:i], c.InitialAuthorisation())
		msg, err := Handover(prev, d.Area(), d.User())
		mustNoErr(t, err)
		ds = c.Delegations()
		ds[i] = NewDelegation(d.Area(), d.User(), ch.secrets[i+1].Sign(msg))
		wantKind(t, fmt.Sprintf("wrong signer %d", i), rebuild(ds, c.InitialAuthorisation()).Validate(), ErrDelegationSignature, i)
		if _, err := Delegate(prev, ch.secrets[i+1], d.Area(), d.User()); !errors.Is(err, ErrWrongSecret) {
			t.Errorf("Delegate with the wrong secret: %v", err)
		}
		// The handed-over user swapped after signing.
		ds = c.Delegations()
		ds[i] = NewDelegation(d.Area(), ids.SubspaceID(ch.secrets[0].PublicKey()), d.Signature())
		wantKind(t, fmt.Sprintf("receiver swapped %d", i), rebuild(ds, c.InitialAuthorisation()).Validate(), ErrDelegationSignature, i)
		// Area widened beyond the previous granted area, correctly signed
		// over what a handover would be if one existed (the area relative to
		// the full area): the containment check must catch it.
		wide := prev.GrantedArea()
		wide.Path = wide.Path.Prefix(0)
		wide.Subspace = grouping.AnySubspace()
		wide.Times = grouping.NewOpenRange(entry.Timestamp(0))
		if !prev.GrantedArea().Equal(wide) {
			ds = c.Delegations()
			ds[i] = NewDelegation(wide, d.User(), ch.secrets[i].Sign(msg))
			wantKind(t, fmt.Sprintf("area widened %d", i), rebuild(ds, c.InitialAuthorisation()).Validate(), ErrAreaNotIncluded, i)
			if _, err := Delegate(prev, ch.secrets[i], wide, d.User()); !errors.Is(err, ErrAreaNotIncluded) {
				t.Errorf("Delegate to a wider area: %v", err)
			}
			if _, err := prev.WithDelegation(wide, d.User(), d.Signature()); !errors.Is(err, ErrAreaNotIncluded) {
				t.Errorf("WithDelegation to a wider area: %v", err)
			}
			if _, err := EncodeMcCapability(rebuild(ds, c.InitialAuthorisation())); !errors.Is(err, ErrNotEncodable) {
				t.Errorf("encoding a non-nested chain: %v", err)
			}
		}
		// WithDelegation accepts the real signature and refuses a bad one.
		if got, err := prev.WithDelegation(d.Area(), d.User(), d.Signature()); err != nil || got.Validate() != nil {
			t.Errorf("WithDelegation with the real signature: %v", err)
		}
		if _, err := prev.WithDelegation(d.Area(), d.User(), sig); !errors.Is(err, ErrDelegationSignature) {
			t.Errorf("WithDelegation with a bad signature: %v", err)
		}
	}
}

// TestStrictSignatures checks that verification is strict: a small-order
// public key with the signature (R = identity, S = 0) satisfies the
// cofactorless equation for every message, so crypto/ed25519 accepts it, but
// verify_strict semantics refuse it.
func TestStrictSignatures(t *testing.T) {
	var weak ids.SubspaceID
	weak[0] = 0x01 // the identity point
	var sig ids.Signature
	sig[0] = 0x01 // R = identity, S = 0
	ns, _ := newKeys(7).communal(t)
	e := mkEntry(ns, weak, mustPath("x"), 1)
	if !ed25519.Verify(weak[:], entry.Encode(e), sig[:]) {
		t.Fatal("test premise: crypto/ed25519 should accept this weak-key signature")
	}
	c, err := NewCommunal(Write, ns, weak)
	mustNoErr(t, err)
	err = CheckAuthorisedWrite(e, NewAuthorisationToken(c, sig))
	wantKind(t, "weak key", err, ErrEntrySignature, NoDelegation)
	if !errors.Is(err, ed25519strict.ErrSmallOrderPublicKey) {
		t.Errorf("the cause should be the small-order key: %v", err)
	}
}

func TestImmutability(t *testing.T) {
	ch := buildChain(t, newKeys(3), true, Write, 2)
	c := ch.cap
	ds := c.Delegations()
	ds[0] = Delegation{}
	if c.Validate() != nil {
		t.Fatal("changing the returned delegations changed the capability")
	}
	// Two delegations from the same parent do not share state.
	parent := c
	u1, _ := newKeys(4).user(t)
	u2, _ := newKeys(5).user(t)
	a := parent.GrantedArea()
	c1, err := Delegate(parent, ch.receiverSecret(), a, u1)
	mustNoErr(t, err)
	c2, err := Delegate(parent, ch.receiverSecret(), a, u2)
	mustNoErr(t, err)
	if c1.Receiver() != u1 || c2.Receiver() != u2 || parent.NumDelegations() != 2 {
		t.Fatal("sibling delegations interfere")
	}
	if c1.Validate() != nil || c2.Validate() != nil {
		t.Fatal("sibling delegations invalid")
	}
	// AuthorisedEntryFromTrustedStorage does not verify (by design).
	bad := NewAuthorisationToken(c, ids.Signature{})
	if ae := AuthorisedEntryFromTrustedStorage(ch.entry, bad); !ae.Token().Equal(bad) {
		t.Fatal("trusted constructor changed the token")
	}
}

func TestEnumerationCapability(t *testing.T) {
	k := newKeys(8)
	_, nsSK := k.owned(t)
	u0, sk0 := k.user(t)
	c := NewEnumerationCapability(nsSK, u0)
	mustNoErr(t, c.Validate())
	secrets := []ids.SecretKey{sk0}
	for i := 0; i < 3; i++ {
		u, sk := k.user(t)
		var err error
		c, err = DelegateEnumeration(c, secrets[i], u)
		mustNoErr(t, err)
		secrets = append(secrets, sk)
		mustNoErr(t, c.Validate())
		code := AppendEncodeMcEnumerationCapability(nil, c)
		d, err := decodeAllCanonic(code, DecodeMcEnumerationCapability)
		if err != nil || !d.Equal(c) {
			t.Fatalf("round trip: %v", err)
		}
	}
	if _, err := DelegateEnumeration(c, secrets[0], u0); !errors.Is(err, ErrWrongSecret) {
		t.Errorf("DelegateEnumeration with the wrong secret: %v", err)
	}
	auth := c.InitialAuthorisation()
	auth[0] ^= 1
	ds := make([]EnumerationDelegation, c.NumDelegations())
	for i := range ds {
		ds[i] = c.Delegation(i)
	}
	wantKind(t, "tampered enumeration authorisation",
		NewUncheckedEnumerationCapability(c.GrantedNamespace(), c.User(), auth, ds).Validate(), ErrInitialAuthorisation, NoDelegation)
	sig := ds[1].Signature()
	sig[5] ^= 1
	ds[1] = NewEnumerationDelegation(ds[1].User(), sig)
	wantKind(t, "tampered enumeration delegation",
		NewUncheckedEnumerationCapability(c.GrantedNamespace(), c.User(), c.InitialAuthorisation(), ds).Validate(), ErrDelegationSignature, 1)
}

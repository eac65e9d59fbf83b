package meadowcap

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

type chainFixture struct {
	Name             string   `json:"name"`
	AccessMode       int      `json:"access_mode"`
	NamespaceKeyHex  string   `json:"namespace_key_hex"`
	GenesisUserHex   string   `json:"genesis_user_key_hex"`
	ReceiverSeedsHex []string `json:"receiver_seeds_hex"`
	Delegations      []struct {
		NewArea struct {
			SubspaceHex *string  `json:"subspace_hex"`
			PathHex     []string `json:"path_components_hex"`
			TimesStart  uint64   `json:"times_start"`
			TimesEnd    *uint64  `json:"times_end"`
		} `json:"new_area"`
		NewReceiverHex string `json:"new_receiver_hex"`
		SignatureHex   string `json:"signature_hex"`
	} `json:"delegations"`
}

func unhex(t *testing.T, s string, n int) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != n {
		t.Fatalf("bad hex %q (want %d bytes): %v", s, n, err)
	}
	return b
}

// fixtureCapability builds the capability of one fixture chain.
func fixtureCapability(t *testing.T, f chainFixture) Capability {
	t.Helper()
	mode := Read
	if f.AccessMode == 1 {
		mode = Write
	}
	var dels []Delegation
	for i, d := range f.Delegations {
		var a grouping.Area
		if d.NewArea.SubspaceHex != nil {
			a.Subspace = grouping.OnlySubspace(ids.SubspaceID(unhex(t, *d.NewArea.SubspaceHex, 32)))
		}
		comps := make([][]byte, len(d.NewArea.PathHex))
		for j, c := range d.NewArea.PathHex {
			var err error
			if comps[j], err = hex.DecodeString(c); err != nil {
				t.Fatal(err)
			}
		}
		p, err := path.New(comps...)
		mustNoErr(t, err)
		a.Path = p
		if d.NewArea.TimesEnd == nil {
			a.Times = grouping.NewOpenRange(entry.Timestamp(d.NewArea.TimesStart))
		} else {
			a.Times = closedTimes(t, d.NewArea.TimesStart, *d.NewArea.TimesEnd)
		}
		user := ids.SubspaceID(unhex(t, d.NewReceiverHex, 32))
		// The published receiver seeds must derive the receivers.
		seed := ids.SecretKey(unhex(t, f.ReceiverSeedsHex[i], 32))
		if seed.PublicKey() != [32]byte(user) {
			t.Fatalf("%s: receiver seed %d does not derive the receiver", f.Name, i)
		}
		dels = append(dels, NewDelegation(a, user, ids.Signature(unhex(t, d.SignatureHex, 64))))
	}
	return NewUncheckedCommunal(mode, ids.NamespaceID(unhex(t, f.NamespaceKeyHex, 32)),
		ids.SubspaceID(unhex(t, f.GenesisUserHex, 32)), dels)
}

// TestRustDelegationChains checks the communal delegation chains signed by the
// Rust reference implementation. Two of them use a namespace key whose last
// bit is 1 — an owned namespace under Willow'25's is_communal — so their
// chains verify but they are not valid Capabilities: known discrepancies.
func TestRustDelegationChains(t *testing.T) {
	dir := testvectors.Dir(t, "rust-reference-fixtures", "meadowcap")
	raw, err := os.ReadFile(filepath.Join(dir, "delegation_chains.json"))
	mustNoErr(t, err)
	var fx struct {
		Cases []chainFixture `json:"cases"`
	}
	mustNoErr(t, json.Unmarshal(raw, &fx))
	if len(fx.Cases) == 0 {
		t.Fatal("no cases")
	}
	ownedByLSB := 0
	for _, f := range fx.Cases {
		c := fixtureCapability(t, f)
		if err := c.CheckChain(); err != nil {
			t.Errorf("%s: chain does not verify: %v", f.Name, err)
			continue
		}
		err := c.Validate()
		if c.GrantedNamespace().IsOwned() {
			ownedByLSB++
			if !errors.Is(err, ErrNamespaceKind) {
				t.Errorf("%s: communal capability in an owned-by-LSB namespace: Validate = %v, want ErrNamespaceKind", f.Name, err)
			}
		} else if err != nil {
			t.Errorf("%s: Validate: %v", f.Name, err)
		}
		// The chain survives an encode/decode round trip.
		code, err := EncodeMcCapability(c)
		mustNoErr(t, err)
		if d, err := decodeAll(code, DecodeMcCapability); err != nil || !d.Equal(c) {
			t.Errorf("%s: round trip: %v", f.Name, err)
		}
		// Flipping any bit of the code must make it undecodable or break the
		// chain, except in a capability without delegations, where nothing
		// is signed: there only the header flips are checked (they truncate).
		flips, rejected, sameValue := 0, 0, 0
		for i := range code {
			if c.NumDelegations() == 0 && i > 0 {
				break
			}
			for _, bit := range []byte{0x01, 0x80} {
				mut := append([]byte(nil), code...)
				mut[i] ^= bit
				flips++
				d, err := decodeAll(mut, DecodeMcCapability)
				switch {
				case err != nil || d.CheckChain() != nil:
					rejected++
				case d.Equal(c):
					// A non-canonic code of the same value (the end_diff tag
					// bits of an open end are arbitrary): canonic decoding
					// must refuse it.
					sameValue++
					if _, err := DecodeMcCapability(codec.NewDecoder(mut, codec.Canonic)); !errors.Is(err, codec.ErrNonCanonic) {
						t.Errorf("%s: flipping bit %#02x of byte %d gives a non-canonic code that canonic decoding accepts (%v)", f.Name, bit, i, err)
					}
				default:
					t.Errorf("%s: flipping bit %#02x of byte %d still verifies", f.Name, bit, i)
				}
			}
		}
		// Flipping a byte of each signature directly must fail with
		// ErrDelegationSignature at that delegation.
		for i := 0; i < c.NumDelegations(); i++ {
			ds := c.Delegations()
			sig := ds[i].Signature()
			sig[10] ^= 0x01
			ds[i] = NewDelegation(ds[i].Area(), ds[i].User(), sig)
			bad := NewUncheckedCommunal(c.AccessMode(), c.GrantedNamespace(), c.User(), ds)
			var me *Error
			if err := bad.CheckChain(); !errors.Is(err, ErrDelegationSignature) || !errors.As(err, &me) || me.Delegation != i {
				t.Errorf("%s: tampered signature %d: %v", f.Name, i, err)
			}
		}
		t.Logf("%s: %d delegations, chain verifies, %d/%d bit flips rejected (%d give the same value non-canonically), owned-by-LSB namespace: %v",
			f.Name, c.NumDelegations(), rejected, flips, sameValue, c.GrantedNamespace().IsOwned())
	}
	if ownedByLSB != 2 {
		t.Errorf("expected the 2 known owned-by-LSB chains, found %d", ownedByLSB)
	}
}

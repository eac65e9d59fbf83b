package meadowcap

import (
	"encoding/hex"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
)

// The Willow'25 default authorisation token signature, from the willow25
// spec page (and ../shared/vectors/README.md).
const defaultTokenSignatureHex = "2ac93ad2c13fedb696345dbac6e71254e99cb444e5e81b916fca0878f0a8a993" +
	"2bd1a4e846e1ca83377b740a29b8570a85038d50662ba8af66e5683c93521401"

func TestDefaultAuthorisationToken(t *testing.T) {
	tok := DefaultAuthorisationToken()
	sig := tok.Signature()
	if got := hex.EncodeToString(sig[:]); got != defaultTokenSignatureHex {
		t.Fatalf("default token signature\n got %s\nwant %s", got, defaultTokenSignatureHex)
	}
	c := tok.Capability()
	if c.IsOwned() || c.AccessMode() != Write || c.NumDelegations() != 0 ||
		c.GrantedNamespace() != ids.DefaultNamespaceID() || c.User() != ids.DefaultSubspaceID() {
		t.Fatalf("default capability has the wrong fields: %+v", c)
	}
	e := entry.Default(ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest())
	if err := CheckAuthorisedWrite(e, tok); err != nil {
		t.Fatalf("default token does not authorise the default entry: %v", err)
	}
	// Built the public way, the token is the same.
	c2, err := NewCommunal(Write, ids.DefaultNamespaceID(), ids.DefaultSubspaceID())
	mustNoErr(t, err)
	tok2, err := Authorise(e, c2, ids.DefaultSecretKey())
	mustNoErr(t, err)
	if !tok2.Equal(tok) {
		t.Fatal("Authorise does not reproduce the default token")
	}
	// encode_mc_capability of the default capability: 0x40 ‖ ns ‖ user.
	code, err := EncodeMcCapability(c)
	mustNoErr(t, err)
	ns := ids.DefaultNamespaceID()
	want := "40" + hex.EncodeToString(ns[:]) + hex.EncodeToString(ns[:])
	if hex.EncodeToString(code) != want {
		t.Fatalf("encode_mc_capability(default) = %x, want %s", code, want)
	}
}

func TestCapabilityString(t *testing.T) {
	s := DefaultAuthorisationToken().Capability().String()
	want := "communal write capability in " + ids.DefaultNamespaceID().String() + " for " + ids.DefaultSubspaceID().String() + ", 0 delegations, granted "
	if len(s) < len(want) || s[:len(want)] != want {
		t.Fatalf("String() = %q", s)
	}
}

package meadowcap

import (
	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
)

// AuthorisationToken is a MeadowcapAuthorisationToken: a capability and the
// capability receiver's signature over encode_entry(entry). It is the
// Willow'25 AuthorisationToken. It is an immutable value and not necessarily
// valid for any entry: see CheckAuthorisedWrite.
type AuthorisationToken struct {
	capability Capability
	signature  ids.Signature
}

// NewAuthorisationToken pairs a capability and a signature without checking
// them (decoders and stores need this). Use Authorise to create a token for
// an entry, and CheckAuthorisedWrite to verify one.
func NewAuthorisationToken(c Capability, signature ids.Signature) AuthorisationToken {
	return AuthorisationToken{capability: c, signature: signature}
}

// Capability is the token's capability.
func (t AuthorisationToken) Capability() Capability { return t.capability }

// Signature is the receiver's signature over the entry.
func (t AuthorisationToken) Signature() ids.Signature { return t.signature }

// Equal reports whether two tokens are the same value.
func (t AuthorisationToken) Equal(u AuthorisationToken) bool {
	return t.signature == u.signature && t.capability.Equal(u.capability)
}

// Authorise creates the token that authorises writing e with the write
// capability c, signing encode_entry(e) with receiverSecret. It fails with
// ErrNotWriteCapability, ErrNamespaceMismatch, ErrEntryOutsideArea or
// ErrWrongSecret (the secret is not the receiver's). It does not check that
// c is valid.
func Authorise(e entry.Entry, c Capability, receiverSecret ids.SecretKey) (AuthorisationToken, error) {
	if err := checkEntryFits(e, c); err != nil {
		return AuthorisationToken{}, err
	}
	if receiverSecret.PublicKey() != [32]byte(c.Receiver()) {
		return AuthorisationToken{}, newError(ErrWrongSecret, NoDelegation, "the secret is not the receiver's", nil)
	}
	return AuthorisationToken{capability: c, signature: receiverSecret.Sign(entry.Encode(e))}, nil
}

// checkEntryFits checks the cheap, signature-free conditions for c to
// authorise e: write mode, the same namespace, an area that includes e.
func checkEntryFits(e entry.Entry, c Capability) error {
	if c.mode != Write {
		return newError(ErrNotWriteCapability, NoDelegation, "", nil)
	}
	if c.namespace != e.NamespaceID {
		return newError(ErrNamespaceMismatch, NoDelegation, "capability for "+c.namespace.String()+", entry in "+e.NamespaceID.String(), nil)
	}
	if !c.GrantedArea().IncludesEntry(e) {
		return newError(ErrEntryOutsideArea, NoDelegation, "", nil)
	}
	return nil
}

// CheckAuthorisedWrite implements meadowcap_is_authorised_write and says why
// it is false. It returns nil iff
//
//   - the capability grants write access (ErrNotWriteCapability),
//   - its kind matches the namespace (ErrNamespaceKind),
//   - its granted namespace is the entry's (ErrNamespaceMismatch; a check the
//     spec's list lacks, see the package documentation),
//   - its granted area includes the entry (ErrEntryOutsideArea),
//   - the token's signature signs encode_entry(e) under the capability's
//     receiver (ErrEntrySignature), and
//   - the capability is valid (ErrInitialAuthorisation, ErrAreaNotIncluded,
//     ErrDelegationSignature),
//
// checked in this order, cheap checks first. Every signature is verified
// strictly.
func CheckAuthorisedWrite(e entry.Entry, t AuthorisationToken) error {
	return CheckAuthorisedWriteWith(nil, e, t)
}

// CheckAuthorisedWriteWith is CheckAuthorisedWrite with the equation of
// every signature evaluated by eq (nil: in Go, as CheckAuthorisedWrite does).
// The strict checks of keys, R values and S are made in Go whatever eq is, so
// the verdict is CheckAuthorisedWrite's whenever eq agrees with
// ed25519strict.Equation.
func CheckAuthorisedWriteWith(eq ed25519strict.EquationChecker, e entry.Entry, t AuthorisationToken) error {
	c := t.capability
	if c.mode != Write {
		return newError(ErrNotWriteCapability, NoDelegation, "", nil)
	}
	if c.owned == c.namespace.IsCommunal() {
		return c.Validate() // reports ErrNamespaceKind
	}
	if err := checkEntryFits(e, c); err != nil {
		return err
	}
	var buf [entry.MinEncodedLen + 64]byte
	if err := verify(eq, c.Receiver(), entry.AppendEncode(buf[:0], e), t.signature); err != nil {
		return newError(ErrEntrySignature, NoDelegation, "", err)
	}
	return c.checkChain(eq)
}

// IsAuthorisedWrite is meadowcap_is_authorised_write: CheckAuthorisedWrite(e,
// t) == nil.
func IsAuthorisedWrite(e entry.Entry, t AuthorisationToken) bool {
	return CheckAuthorisedWrite(e, t) == nil
}

// DefaultAuthorisationToken is the Willow'25 default_authorisation_token: the
// communal write capability for the default namespace and default user with
// no delegations, and the default user's signature over the default entry
// (default namespace, default subspace, default payload digest). Ed25519 is
// deterministic, so signing reproduces the published signature exactly.
func DefaultAuthorisationToken() AuthorisationToken {
	ns, ss := ids.DefaultNamespaceID(), ids.DefaultSubspaceID()
	c := Capability{mode: Write, namespace: ns, user: ss}
	e := entry.Default(ns, ss, ids.DefaultPayloadDigest())
	return AuthorisationToken{capability: c, signature: ids.DefaultSecretKey().Sign(entry.Encode(e))}
}

// AuthorisedEntry is an entry together with a token that authorises it. It
// can only be built by verifying the pair (NewAuthorisedEntry) or by
// explicitly trusting where it comes from (AuthorisedEntryFromTrustedStorage).
type AuthorisedEntry struct {
	entry entry.Entry
	token AuthorisationToken
}

// NewAuthorisedEntry verifies that t authorises e and returns the pair, or
// the reason it does not (see CheckAuthorisedWrite).
func NewAuthorisedEntry(e entry.Entry, t AuthorisationToken) (AuthorisedEntry, error) {
	return NewAuthorisedEntryWith(nil, e, t)
}

// NewAuthorisedEntryWith is NewAuthorisedEntry with the signature equations
// evaluated by eq (see CheckAuthorisedWriteWith).
func NewAuthorisedEntryWith(eq ed25519strict.EquationChecker, e entry.Entry, t AuthorisationToken) (AuthorisedEntry, error) {
	if err := CheckAuthorisedWriteWith(eq, e, t); err != nil {
		return AuthorisedEntry{}, err
	}
	return AuthorisedEntry{entry: e, token: t}, nil
}

// AuthorisedEntryFromTrustedStorage pairs e and t WITHOUT verifying them. Use
// it only for pairs that were verified before and read back from storage this
// process trusts; never for data from the network or from files of others.
func AuthorisedEntryFromTrustedStorage(e entry.Entry, t AuthorisationToken) AuthorisedEntry {
	return AuthorisedEntry{entry: e, token: t}
}

// Entry is the authorised entry.
func (a AuthorisedEntry) Entry() entry.Entry { return a.entry }

// Token is the token that authorises the entry.
func (a AuthorisedEntry) Token() AuthorisationToken { return a.token }

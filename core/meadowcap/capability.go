package meadowcap

import (
	"strconv"

	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// AccessMode is the kind of access a capability grants.
type AccessMode uint8

const (
	// Read grants read access (used by sync, not by writes).
	Read AccessMode = iota
	// Write grants write access: only write capabilities authorise entries.
	Write
)

// String returns "read" or "write".
func (m AccessMode) String() string {
	if m == Write {
		return "write"
	}
	return "read"
}

// Delegation is one step of a delegation chain: the area the capability is
// restricted to, the new user it is handed to, and the previous receiver's
// signature over the handover.
type Delegation struct {
	area      grouping.Area
	user      ids.SubspaceID
	signature ids.Signature
}

// NewDelegation assembles a delegation triplet without checking anything. Use
// it to build capabilities from parts (e.g. in tests or tools); a capability
// built this way still has to pass [Capability.Validate].
func NewDelegation(area grouping.Area, user ids.SubspaceID, signature ids.Signature) Delegation {
	return Delegation{area: area, user: user, signature: signature}
}

// Area is the area this delegation restricts the capability to.
func (d Delegation) Area() grouping.Area { return d.area }

// User is the user (public key) the capability is handed to.
func (d Delegation) User() ids.SubspaceID { return d.user }

// Signature is the previous receiver's signature over the handover.
func (d Delegation) Signature() ids.Signature { return d.signature }

// Equal reports whether two delegations are the same triplet.
func (d Delegation) Equal(e Delegation) bool {
	return d.user == e.user && d.signature == e.signature && d.area.Equal(e.area)
}

// Capability is a Meadowcap capability (McCapability): a communal or an owned
// capability. The zero value is a communal read capability for the all-zero
// namespace and user. A Capability is immutable; all methods return copies.
// It is not necessarily valid: see [Capability.Validate].
type Capability struct {
	owned       bool
	mode        AccessMode
	namespace   ids.NamespaceID
	user        ids.SubspaceID
	initialAuth ids.Signature // owned capabilities only
	// delegations is never modified after construction; its capacity equals
	// its length, so appending always copies.
	delegations []Delegation
}

// NewCommunal returns the communal capability with no delegations for the
// given user (subspace) in a communal namespace. It needs no signature: its
// power comes from the user's signatures over entries. It fails with
// ErrNamespaceKind if the namespace is owned (such a capability is never
// valid).
func NewCommunal(mode AccessMode, namespace ids.NamespaceID, user ids.SubspaceID) (Capability, error) {
	if !namespace.IsCommunal() {
		return Capability{}, newError(ErrNamespaceKind, NoDelegation, "communal capability for an owned namespace", nil)
	}
	return Capability{mode: mode, namespace: namespace, user: user}, nil
}

// NewOwned returns the owned capability with no delegations that grants user
// access to the whole owned namespace whose secret is namespaceSecret: it
// signs the initial authorisation (0x02 or 0x03 ‖ user) with that secret. It
// fails with ErrNamespaceKind if the namespace is communal.
func NewOwned(mode AccessMode, namespaceSecret ids.SecretKey, user ids.SubspaceID) (Capability, error) {
	ns := ids.NamespaceID(namespaceSecret.PublicKey())
	if ns.IsCommunal() {
		return Capability{}, newError(ErrNamespaceKind, NoDelegation, "owned capability for a communal namespace", nil)
	}
	auth := namespaceSecret.Sign(InitialAuthorisationMessage(mode, user))
	return Capability{owned: true, mode: mode, namespace: ns, user: user, initialAuth: auth}, nil
}

// NewOwnedWithAuthorisation returns the owned capability with no delegations
// from an initial authorisation signed elsewhere. It verifies the signature
// and the namespace kind, failing with ErrInitialAuthorisation or
// ErrNamespaceKind.
func NewOwnedWithAuthorisation(mode AccessMode, namespace ids.NamespaceID, user ids.SubspaceID, initialAuthorisation ids.Signature) (Capability, error) {
	c := Capability{owned: true, mode: mode, namespace: namespace, user: user, initialAuth: initialAuthorisation}
	if err := c.Validate(); err != nil {
		return Capability{}, err
	}
	return c, nil
}

// NewUncheckedCommunal assembles a communal capability from parts without
// checking anything (decoders and tools need this; so do tests of
// forgeries). The delegations are copied.
func NewUncheckedCommunal(mode AccessMode, namespace ids.NamespaceID, user ids.SubspaceID, delegations []Delegation) Capability {
	return Capability{mode: mode, namespace: namespace, user: user, delegations: cloneDelegations(delegations)}
}

// NewUncheckedOwned assembles an owned capability from parts without checking
// anything. The delegations are copied.
func NewUncheckedOwned(mode AccessMode, namespace ids.NamespaceID, user ids.SubspaceID, initialAuthorisation ids.Signature, delegations []Delegation) Capability {
	return Capability{owned: true, mode: mode, namespace: namespace, user: user, initialAuth: initialAuthorisation,
		delegations: cloneDelegations(delegations)}
}

func cloneDelegations(ds []Delegation) []Delegation {
	if len(ds) == 0 {
		return nil
	}
	out := make([]Delegation, len(ds))
	copy(out, ds)
	return out
}

// IsOwned reports whether this is an owned capability (else communal).
func (c Capability) IsOwned() bool { return c.owned }

// IsCommunal reports whether this is a communal capability.
func (c Capability) IsCommunal() bool { return !c.owned }

// AccessMode is read or write.
func (c Capability) AccessMode() AccessMode { return c.mode }

// GrantedNamespace is the namespace the capability grants access to (its
// namespace key).
func (c Capability) GrantedNamespace() ids.NamespaceID { return c.namespace }

// User is the genesis user key: the subspace of a communal capability, or the
// user the namespace authorised initially for an owned one.
func (c Capability) User() ids.SubspaceID { return c.user }

// InitialAuthorisation is the namespace's signature authorising the user of
// an owned capability (the zero signature for communal ones).
func (c Capability) InitialAuthorisation() ids.Signature { return c.initialAuth }

// NumDelegations is the length of the delegation chain.
func (c Capability) NumDelegations() int { return len(c.delegations) }

// Delegation returns delegation i (0 ≤ i < NumDelegations()).
func (c Capability) Delegation(i int) Delegation { return c.delegations[i] }

// Delegations returns a copy of the delegation chain.
func (c Capability) Delegations() []Delegation { return cloneDelegations(c.delegations) }

// Receiver is the user the capability grants access to: the last delegated
// user, or the genesis user.
func (c Capability) Receiver() ids.SubspaceID {
	if n := len(c.delegations); n > 0 {
		return c.delegations[n-1].user
	}
	return c.user
}

// GrantedArea is the area the capability grants access to: the last
// delegated area, or else the subspace area of the user (communal) or the
// full area (owned).
func (c Capability) GrantedArea() grouping.Area {
	if n := len(c.delegations); n > 0 {
		return c.delegations[n-1].area
	}
	return c.baseArea()
}

// baseArea is area_{-1} of the capability encodings: the granted area with no
// delegations.
func (c Capability) baseArea() grouping.Area {
	if c.owned {
		return grouping.FullArea()
	}
	return grouping.SubspaceArea(c.user)
}

// prefix returns the capability with only its first n delegations (sharing
// memory; the capacity limit keeps appends from overwriting).
func (c Capability) prefix(n int) Capability {
	c.delegations = c.delegations[:n:n]
	return c
}

// Equal reports whether two capabilities are the same value.
func (c Capability) Equal(d Capability) bool {
	if c.owned != d.owned || c.mode != d.mode || c.namespace != d.namespace || c.user != d.user ||
		len(c.delegations) != len(d.delegations) {
		return false
	}
	if c.owned && c.initialAuth != d.initialAuth {
		return false
	}
	for i := range c.delegations {
		if !c.delegations[i].Equal(d.delegations[i]) {
			return false
		}
	}
	return true
}

// String renders the capability for humans (not an encoding), e.g.
// "owned write capability in -ab12… for 3f4e…, 2 delegations, granted Area(…)",
// naming the receiver.
func (c Capability) String() string {
	kind := "communal"
	if c.owned {
		kind = "owned"
	}
	r := c.Receiver()
	return kind + " " + c.mode.String() + " capability in " + c.namespace.String() + " for " + r.String() +
		", " + strconv.Itoa(len(c.delegations)) + " delegations, granted " + c.GrantedArea().String()
}

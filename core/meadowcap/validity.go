package meadowcap

import "github.com/willow-web/willow-web/core/ed25519strict"

// Validate reports whether c is a valid Capability (cap_valid), returning nil
// or an *Error saying why not:
//
//   - ErrNamespaceKind: a communal capability whose namespace is owned, or an
//     owned one whose namespace is communal (is_communal: last bit of the
//     namespace key);
//   - then everything CheckChain checks.
func (c Capability) Validate() error {
	if c.owned == c.namespace.IsCommunal() {
		detail := "communal capability for an owned namespace"
		if c.owned {
			detail = "owned capability for a communal namespace"
		}
		return newError(ErrNamespaceKind, NoDelegation, detail, nil)
	}
	return c.CheckChain()
}

// CheckChain checks the spec's validity of the inner capability type
// (communal_cap_valid or owned_cap_valid) without the is_communal rule of
// McCapability: the initial authorisation of an owned capability
// (ErrInitialAuthorisation) and, for every delegation in order, that the area
// granted before it includes its area (ErrAreaNotIncluded) and that its
// signature signs the handover under the previous receiver
// (ErrDelegationSignature). All signatures are verified strictly.
//
// Use Validate to decide whether a capability grants anything; CheckChain
// exists for diagnostics and for checking chains across implementations that
// disagree on is_communal.
func (c Capability) CheckChain() error {
	return c.checkChain(nil)
}

// checkChain is CheckChain with the signature equations evaluated by eq.
func (c Capability) checkChain(eq ed25519strict.EquationChecker) error {
	if c.owned {
		if err := verify(eq, c.namespace, InitialAuthorisationMessage(c.mode, c.user), c.initialAuth); err != nil {
			return newError(ErrInitialAuthorisation, NoDelegation, "", err)
		}
	}
	if len(c.delegations) == 0 {
		return nil // most write capabilities: no handover buffer to allocate
	}
	buf := make([]byte, 0, 256)
	for i, d := range c.delegations {
		prev := c.prefix(i)
		if !prev.GrantedArea().IncludesArea(d.area) {
			return newError(ErrAreaNotIncluded, i, d.area.String()+" is not in "+prev.GrantedArea().String(), nil)
		}
		msg, err := AppendHandover(buf[:0], prev, d.area, d.user)
		if err != nil {
			return err
		}
		buf = msg
		if err := verify(eq, prev.Receiver(), msg, d.signature); err != nil {
			return newError(ErrDelegationSignature, i, "", err)
		}
	}
	return nil
}

// IsValid is Validate() == nil.
func (c Capability) IsValid() bool { return c.Validate() == nil }

package meadowcap

import (
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// InitialAuthorisationMessage is the message the namespace key signs to
// authorise the user of an owned capability: 0x02 (read) or 0x03 (write)
// followed by the user key (33 bytes).
func InitialAuthorisationMessage(mode AccessMode, user ids.SubspaceID) []byte {
	msg := make([]byte, 0, 33)
	if mode == Write {
		msg = append(msg, 0x03)
	} else {
		msg = append(msg, 0x02)
	}
	return append(msg, user[:]...)
}

// AppendHandover appends the handover message that receiver(c) signs to
// delegate c to newUser restricted to newArea:
//
//   - communal, no delegations yet: 0x00 (read) / 0x01 (write) ‖ namespace key
//     ‖ encode_area_in_area(newArea, granted area) ‖ newUser;
//   - owned, no delegations yet: encode_area_in_area(newArea, full area) ‖
//     initial authorisation ‖ newUser;
//   - otherwise: encode_area_in_area(newArea, last area) ‖ last signature ‖
//     newUser.
//
// It fails with ErrAreaNotIncluded if the granted area of c does not include
// newArea (no handover exists then).
func AppendHandover(dst []byte, c Capability, newArea grouping.Area, newUser ids.SubspaceID) ([]byte, error) {
	prevArea := c.GrantedArea()
	if !prevArea.IncludesArea(newArea) {
		return dst, newError(ErrAreaNotIncluded, len(c.delegations), "no handover for an area outside the granted area", nil)
	}
	n := len(c.delegations)
	if n == 0 && !c.owned {
		if c.mode == Write {
			dst = append(dst, 0x01)
		} else {
			dst = append(dst, 0x00)
		}
		dst = append(dst, c.namespace[:]...)
	}
	dst, err := grouping.AppendEncodeAreaInArea(dst, newArea, prevArea)
	if err != nil { // unreachable: inclusion was checked above
		return dst, newError(ErrAreaNotIncluded, n, "", err)
	}
	switch {
	case n > 0:
		sig := c.delegations[n-1].signature
		dst = append(dst, sig[:]...)
	case c.owned:
		dst = append(dst, c.initialAuth[:]...)
	}
	return append(dst, newUser[:]...), nil
}

// Handover returns the handover message of AppendHandover.
func Handover(c Capability, newArea grouping.Area, newUser ids.SubspaceID) ([]byte, error) {
	return AppendHandover(make([]byte, 0, 200), c, newArea, newUser)
}

// Delegate restricts c to newArea and hands it to newUser, signing the
// handover with receiverSecret, which must be the secret of c's receiver
// (else ErrWrongSecret). newArea must be included in c's granted area (else
// ErrAreaNotIncluded). Delegate does not check that c itself is valid.
func Delegate(c Capability, receiverSecret ids.SecretKey, newArea grouping.Area, newUser ids.SubspaceID) (Capability, error) {
	if receiverSecret.PublicKey() != [32]byte(c.Receiver()) {
		return Capability{}, newError(ErrWrongSecret, len(c.delegations), "the secret is not the receiver's", nil)
	}
	msg, err := Handover(c, newArea, newUser)
	if err != nil {
		return Capability{}, err
	}
	return c.appendDelegation(Delegation{area: newArea, user: newUser, signature: receiverSecret.Sign(msg)}), nil
}

// WithDelegation appends a delegation whose signature was made elsewhere,
// verifying it: newArea must be included in the granted area
// (ErrAreaNotIncluded) and signature must sign the handover under c's
// receiver (ErrDelegationSignature). It does not re-check c's earlier steps.
func (c Capability) WithDelegation(newArea grouping.Area, newUser ids.SubspaceID, signature ids.Signature) (Capability, error) {
	msg, err := Handover(c, newArea, newUser)
	if err != nil {
		return Capability{}, err
	}
	if err := verify(nil, c.Receiver(), msg, signature); err != nil {
		return Capability{}, newError(ErrDelegationSignature, len(c.delegations), "", err)
	}
	return c.appendDelegation(Delegation{area: newArea, user: newUser, signature: signature}), nil
}

// appendDelegation returns c with d appended, never sharing the new backing
// array with c.
func (c Capability) appendDelegation(d Delegation) Capability {
	ds := make([]Delegation, len(c.delegations)+1)
	copy(ds, c.delegations)
	ds[len(c.delegations)] = d
	c.delegations = ds
	return c
}

package meadowcap

import (
	"errors"
	"strconv"
)

// Kinds of failure. Every error about validity or authorisation returned by
// this package is an *Error wrapping exactly one of them, so callers test with
// errors.Is(err, meadowcap.ErrDelegationSignature) and friends.
var (
	// ErrNamespaceKind: a communal capability for an owned namespace, or an
	// owned capability for a communal namespace (the is_communal rule).
	ErrNamespaceKind = errors.New("capability kind does not match the namespace (is_communal)")
	// ErrInitialAuthorisation: the initial authorisation of an owned (or
	// enumeration) capability is not a valid signature by the namespace key.
	ErrInitialAuthorisation = errors.New("initial authorisation does not verify under the namespace key")
	// ErrDelegationSignature: a delegation's signature is not a valid
	// signature of its handover by the previous receiver.
	ErrDelegationSignature = errors.New("delegation signature does not verify under the previous receiver")
	// ErrAreaNotIncluded: a delegated area is not included in the area granted
	// before it.
	ErrAreaNotIncluded = errors.New("delegated area is not included in the previously granted area")
	// ErrNotWriteCapability: a read capability was used to authorise a write.
	ErrNotWriteCapability = errors.New("capability does not grant write access")
	// ErrNamespaceMismatch: the capability grants access to another namespace
	// than the entry's.
	ErrNamespaceMismatch = errors.New("capability is for another namespace than the entry")
	// ErrEntryOutsideArea: the granted area does not include the entry.
	ErrEntryOutsideArea = errors.New("granted area does not include the entry")
	// ErrEntrySignature: the token's signature is not a valid signature of
	// encode_entry(entry) by the capability's receiver.
	ErrEntrySignature = errors.New("token signature does not verify under the receiver")
	// ErrWrongSecret: a secret key does not belong to the key it must sign
	// for (the receiver, or the owned namespace).
	ErrWrongSecret = errors.New("secret key does not belong to the required public key")
	// ErrNotEncodable: a value lies outside the domain of an encoding (for
	// example delegated areas that do not form a chain of containment, or a
	// token that is not relative-encodable against its context).
	ErrNotEncodable = errors.New("value cannot be encoded")
)

// NoDelegation is the Delegation index of an *Error that concerns no
// particular delegation.
const NoDelegation = -1

// Error says why a capability is not valid or a token does not authorise an
// entry. errors.Is matches both Kind and Err.
type Error struct {
	// Kind is one of the Err* values of this package.
	Kind error
	// Delegation is the index of the delegation at fault, or NoDelegation.
	Delegation int
	// Detail is optional human-readable context.
	Detail string
	// Err is the underlying cause, e.g. the strict ed25519 verdict; may be nil.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	s := "meadowcap: " + e.Kind.Error()
	if e.Delegation != NoDelegation {
		s += " (delegation " + strconv.Itoa(e.Delegation) + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func newError(kind error, delegation int, detail string, cause error) *Error {
	return &Error{Kind: kind, Delegation: delegation, Detail: detail, Err: cause}
}

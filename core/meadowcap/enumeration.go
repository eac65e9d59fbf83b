package meadowcap

import (
	"strconv"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/ids"
)

// EnumerationCapability is a McEnumerationCapability (private interest
// overlap): it certifies read access to arbitrary subspaces at some
// unspecified path of an owned namespace, so that peers may enumerate each
// other's interests. Its delegations carry no areas. It is an immutable value.
type EnumerationCapability struct {
	namespace   ids.NamespaceID
	user        ids.SubspaceID
	initialAuth ids.Signature
	delegations []EnumerationDelegation
}

// EnumerationDelegation is one (user, signature) step of an enumeration
// capability's delegation chain.
type EnumerationDelegation struct {
	user      ids.SubspaceID
	signature ids.Signature
}

// NewEnumerationDelegation assembles a delegation pair without checking it.
func NewEnumerationDelegation(user ids.SubspaceID, signature ids.Signature) EnumerationDelegation {
	return EnumerationDelegation{user: user, signature: signature}
}

// User is the user the capability is handed to.
func (d EnumerationDelegation) User() ids.SubspaceID { return d.user }

// Signature is the previous receiver's signature over the handover.
func (d EnumerationDelegation) Signature() ids.Signature { return d.signature }

// EnumerationAuthorisationMessage is what the namespace key signs to create
// an enumeration capability: 0x04 ‖ user.
func EnumerationAuthorisationMessage(user ids.SubspaceID) []byte {
	return append([]byte{0x04}, user[:]...)
}

// NewEnumerationCapability signs the initial authorisation of user with the
// namespace secret.
func NewEnumerationCapability(namespaceSecret ids.SecretKey, user ids.SubspaceID) EnumerationCapability {
	return EnumerationCapability{
		namespace:   ids.NamespaceID(namespaceSecret.PublicKey()),
		user:        user,
		initialAuth: namespaceSecret.Sign(EnumerationAuthorisationMessage(user)),
	}
}

// NewUncheckedEnumerationCapability assembles an enumeration capability from
// parts without checking anything. The delegations are copied.
func NewUncheckedEnumerationCapability(namespace ids.NamespaceID, user ids.SubspaceID, initialAuthorisation ids.Signature, delegations []EnumerationDelegation) EnumerationCapability {
	var ds []EnumerationDelegation
	if len(delegations) > 0 {
		ds = append(ds, delegations...)
	}
	return EnumerationCapability{namespace: namespace, user: user, initialAuth: initialAuthorisation, delegations: ds}
}

// GrantedNamespace is the namespace key.
func (c EnumerationCapability) GrantedNamespace() ids.NamespaceID { return c.namespace }

// User is the user the namespace authorised initially.
func (c EnumerationCapability) User() ids.SubspaceID { return c.user }

// InitialAuthorisation is the namespace's signature over 0x04 ‖ user.
func (c EnumerationCapability) InitialAuthorisation() ids.Signature { return c.initialAuth }

// NumDelegations is the length of the delegation chain.
func (c EnumerationCapability) NumDelegations() int { return len(c.delegations) }

// Delegation returns delegation i.
func (c EnumerationCapability) Delegation(i int) EnumerationDelegation { return c.delegations[i] }

// Receiver is the last delegated user, or the initial user.
func (c EnumerationCapability) Receiver() ids.SubspaceID {
	if n := len(c.delegations); n > 0 {
		return c.delegations[n-1].user
	}
	return c.user
}

// Equal reports whether two enumeration capabilities are the same value.
func (c EnumerationCapability) Equal(d EnumerationCapability) bool {
	if c.namespace != d.namespace || c.user != d.user || c.initialAuth != d.initialAuth || len(c.delegations) != len(d.delegations) {
		return false
	}
	for i := range c.delegations {
		if c.delegations[i] != d.delegations[i] {
			return false
		}
	}
	return true
}

// AppendEnumerationHandover appends the handover that receiver(c) signs to
// hand c to newUser: the initial authorisation (no delegations yet) or the
// last delegation's signature, followed by newUser.
func AppendEnumerationHandover(dst []byte, c EnumerationCapability, newUser ids.SubspaceID) []byte {
	if n := len(c.delegations); n > 0 {
		dst = append(dst, c.delegations[n-1].signature[:]...)
	} else {
		dst = append(dst, c.initialAuth[:]...)
	}
	return append(dst, newUser[:]...)
}

// DelegateEnumeration hands c to newUser, signing with receiverSecret, which
// must belong to c's receiver (ErrWrongSecret).
func DelegateEnumeration(c EnumerationCapability, receiverSecret ids.SecretKey, newUser ids.SubspaceID) (EnumerationCapability, error) {
	if receiverSecret.PublicKey() != [32]byte(c.Receiver()) {
		return EnumerationCapability{}, newError(ErrWrongSecret, len(c.delegations), "the secret is not the receiver's", nil)
	}
	sig := receiverSecret.Sign(AppendEnumerationHandover(make([]byte, 0, 96), c, newUser))
	ds := make([]EnumerationDelegation, len(c.delegations)+1)
	copy(ds, c.delegations)
	ds[len(c.delegations)] = EnumerationDelegation{user: newUser, signature: sig}
	c.delegations = ds
	return c, nil
}

// Validate checks the spec's validity of an enumeration capability: the
// initial authorisation signs 0x04 ‖ user under the namespace key
// (ErrInitialAuthorisation) and each delegation signs its handover under the
// previous receiver (ErrDelegationSignature). The spec's validity does not
// involve is_communal; enumeration capabilities are meant for owned
// namespaces.
func (c EnumerationCapability) Validate() error {
	if err := verify(nil, c.namespace, EnumerationAuthorisationMessage(c.user), c.initialAuth); err != nil {
		return newError(ErrInitialAuthorisation, NoDelegation, "", err)
	}
	buf := make([]byte, 0, 96)
	for i, d := range c.delegations {
		prev := c
		prev.delegations = c.delegations[:i:i]
		buf = AppendEnumerationHandover(buf[:0], prev, d.user)
		if err := verify(nil, prev.Receiver(), buf, d.signature); err != nil {
			return newError(ErrDelegationSignature, i, "", err)
		}
	}
	return nil
}

// AppendEncodeMcEnumerationCapability appends the EncodeMcEnumerationCapability
// code of c: namespace key ‖ user key ‖ initial authorisation ‖ standalone
// compact u64 of the delegation count ‖ (user ‖ signature) per delegation. The
// spec defines no canonic function; this is the code with the minimal tag.
func AppendEncodeMcEnumerationCapability(dst []byte, c EnumerationCapability) []byte {
	dst = append(dst, c.namespace[:]...)
	dst = append(dst, c.user[:]...)
	dst = append(dst, c.initialAuth[:]...)
	dst = codec.AppendStandaloneCU64(dst, uint64(len(c.delegations)))
	for _, d := range c.delegations {
		dst = append(dst, d.user[:]...)
		dst = append(dst, d.signature[:]...)
	}
	return dst
}

// DecodeMcEnumerationCapability reads one EncodeMcEnumerationCapability code
// (any tag for the count; a canonic decoder insists on the minimal one). It
// does not verify signatures.
func DecodeMcEnumerationCapability(d *codec.Decoder) (EnumerationCapability, error) {
	var c EnumerationCapability
	ns, err := d.Array32("enumeration capability namespace key")
	if err != nil {
		return EnumerationCapability{}, err
	}
	user, err := d.Array32("enumeration capability user key")
	if err != nil {
		return EnumerationCapability{}, err
	}
	c.namespace, c.user = ids.NamespaceID(ns), ids.SubspaceID(user)
	if c.initialAuth, err = d.Array64("enumeration capability initial authorisation"); err != nil {
		return EnumerationCapability{}, err
	}
	countAt := d.Offset()
	n, err := d.StandaloneCU64("enumeration capability delegation count")
	if err != nil {
		return EnumerationCapability{}, err
	}
	if n > uint64(d.Remaining()/96) {
		return EnumerationCapability{}, &codec.DecodeError{Kind: codec.ErrTruncated, Offset: countAt,
			Field:  "enumeration capability delegation count",
			Detail: strconv.FormatUint(n, 10) + " delegations cannot fit in " + strconv.Itoa(d.Remaining()) + " bytes"}
	}
	if n > 0 {
		c.delegations = make([]EnumerationDelegation, n)
	}
	for i := range c.delegations {
		if c.delegations[i].user, err = d.Array32("enumeration delegation user key"); err != nil {
			return EnumerationCapability{}, err
		}
		if c.delegations[i].signature, err = d.Array64("enumeration delegation signature"); err != nil {
			return EnumerationCapability{}, err
		}
	}
	return c, nil
}

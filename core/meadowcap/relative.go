package meadowcap

import (
	"strconv"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// The relative token encodings (EncodeMeadowcapAuthorisationTokenRelative and
// its parts) encode a token relative to the capability of the previously
// encoded authorised entry ("prior") and to the entry the token authorises.
// The drop format uses them. Neither the namespace (= the entry's), nor the
// access mode (write), nor the user of a communal capability (= the entry's
// subspace) is encoded; delegations shared with the prior capability are
// copied from it.

// minRelativeDelegationLen is the fewest bytes of one delegation in the
// relative encodings: area header, one start-difference byte, user, signature.
const minRelativeDelegationLen = 2 + 32 + 64

// checkRelativeEncodable checks the relation's preconditions on the token's
// capability: write mode, the entry's namespace, an area including the entry,
// and for communal capabilities the entry's subspace as user (the only user
// whose granted area can include the entry; the encoding cannot express
// another).
func checkRelativeEncodable(c Capability, e entry.Entry) error {
	if err := checkEntryFits(e, c); err != nil {
		return newError(ErrNotEncodable, NoDelegation, "relative token encoding", err)
	}
	if !c.owned && c.user != e.SubspaceID {
		return newError(ErrNotEncodable, NoDelegation, "relative token encoding of a communal capability whose user is not the entry's subspace", nil)
	}
	return nil
}

// sharedPrefix returns (shared, niceHack) for encoding c relative to prior:
// the spec's conditions for a nonzero nice_hack, with shared chosen maximal
// (the longest common prefix of the delegation lists).
func sharedPrefix(c, prior Capability) (shared int, niceHack uint64) {
	if prior.owned != c.owned {
		return 0, 0
	}
	if c.owned && (prior.user != c.user || prior.initialAuth != c.initialAuth) {
		return 0, 0
	}
	n := min(len(c.delegations), len(prior.delegations))
	for shared < n && c.delegations[shared].Equal(prior.delegations[shared]) {
		shared++
	}
	return shared, uint64(shared) + 1
}

// privateContext is ctx_{i−1} for delegation i of c relative to entry e:
// private = (e's namespace, subspace, path), rel = area_{i−1}, or for i = 0 the
// subspace area of e's subspace (for owned capabilities too, as the spec
// says). Spec decision (spec-notes §9.2 #11): the first delegation after the
// shared ones is encoded relative to ctx_{shared−1}, i.e. the last shared
// area, as the spec text says; willow-rs (September 2025) used ctx_{−1}.
func privateContext(c Capability, i int, e entry.Entry) PrivateAreaContext {
	ctx := PrivateAreaContext{Private: PrivateInterestOfEntry(e), Rel: grouping.SubspaceArea(e.SubspaceID)}
	if i > 0 {
		ctx.Rel = c.delegations[i-1].area
	}
	return ctx
}

// AppendEncodeCapabilityRelative appends EncodeCommunalCapabilityRelative or
// EncodeOwnedCapabilityRelative of c (whichever applies) relative to the
// prior token's capability and entry e:
//
//	header: bit 0 = 0 (communal) / 1 (owned), bits 1–3 = 3-bit tag of
//	        nice_hack, bits 4–7 = 4-bit tag of the delegation count
//	nice_hack bytes ‖ count bytes
//	owned and nice_hack == 0 only: user key ‖ initial authorisation
//	per delegation i ≥ shared: EncodePrivateAreaAlmostInArea(area_i, ctx_{i−1}) ‖ user ‖ signature
//
// where shared = nice_hack − 1 delegations are copied from the prior
// capability (nice_hack is 0 when nothing can be shared: a prior of the other
// kind, or an owned prior with another user or initial authorisation). It
// fails with ErrNotEncodable unless c is a write capability for e's
// namespace whose granted area includes e (and, if communal, whose user is
// e's subspace), and whose delegated areas each almost include the next.
func AppendEncodeCapabilityRelative(dst []byte, c, prior Capability, e entry.Entry) ([]byte, error) {
	if err := checkRelativeEncodable(c, e); err != nil {
		return dst, err
	}
	shared, niceHack := sharedPrefix(c, prior)
	n := uint64(len(c.delegations))
	var header byte
	if c.owned {
		header = 0x80
	}
	start := len(dst)
	dst = append(dst, header|codec.CU64Tag(niceHack, 3)<<4|codec.CU64Tag(n, 4))
	dst = codec.AppendCU64(dst, niceHack, 3)
	dst = codec.AppendCU64(dst, n, 4)
	if c.owned && niceHack == 0 {
		dst = append(dst, c.user[:]...)
		dst = append(dst, c.initialAuth[:]...)
	}
	// The spec's EncodeOwnedCapabilityRelative iterates
	// "communal_cap_delegations": a copy-paste slip for the owned
	// capability's delegations, which is what this loop encodes for both kinds.
	for i := shared; i < len(c.delegations); i++ {
		d := c.delegations[i]
		var err error
		if dst, err = AppendEncodePrivateAreaAlmostInArea(dst, d.area, privateContext(c, i, e)); err != nil {
			return dst[:start], newError(ErrNotEncodable, i, "delegated area", err)
		}
		dst = append(dst, d.user[:]...)
		dst = append(dst, d.signature[:]...)
	}
	return dst, nil
}

// AppendEncodeCommunalCapabilityRelative is AppendEncodeCapabilityRelative
// for communal capabilities only (EncodeCommunalCapabilityRelative); it fails
// with ErrNotEncodable for owned ones.
func AppendEncodeCommunalCapabilityRelative(dst []byte, c, prior Capability, e entry.Entry) ([]byte, error) {
	if c.owned {
		return dst, newError(ErrNotEncodable, NoDelegation, "EncodeCommunalCapabilityRelative of an owned capability", nil)
	}
	return AppendEncodeCapabilityRelative(dst, c, prior, e)
}

// AppendEncodeOwnedCapabilityRelative is AppendEncodeCapabilityRelative for
// owned capabilities only (EncodeOwnedCapabilityRelative); it fails with
// ErrNotEncodable for communal ones.
func AppendEncodeOwnedCapabilityRelative(dst []byte, c, prior Capability, e entry.Entry) ([]byte, error) {
	if !c.owned {
		return dst, newError(ErrNotEncodable, NoDelegation, "EncodeOwnedCapabilityRelative of a communal capability", nil)
	}
	return AppendEncodeCapabilityRelative(dst, c, prior, e)
}

// DecodeCapabilityRelative reads one EncodeCommunalCapabilityRelative or
// EncodeOwnedCapabilityRelative code relative to prior and e. It rejects
// nice_hack values the spec does not allow for this prior (nonzero against a
// prior of the other kind or another owned root, zero where delegations could
// be shared, more shared delegations than either list has) and capabilities
// that are not in the relation's domain (granted area not including e). It
// does not verify signatures.
func DecodeCapabilityRelative(d *codec.Decoder, prior Capability, e entry.Entry) (Capability, error) {
	headerAt := d.Offset()
	invalid := func(at int, field, detail string) error {
		return &codec.DecodeError{Kind: codec.ErrInvalid, Offset: at, Field: field, Detail: detail}
	}
	header, err := d.Byte("relative capability header")
	if err != nil {
		return Capability{}, err
	}
	c := Capability{owned: header&0x80 != 0, mode: Write, namespace: e.NamespaceID, user: e.SubspaceID}
	niceHack, err := d.CU64(header>>4&0x07, 3, "relative capability nice_hack")
	if err != nil {
		return Capability{}, err
	}
	countAt := d.Offset()
	n, err := d.CU64(header&0x0f, 4, "relative capability delegation count")
	if err != nil {
		return Capability{}, err
	}
	if niceHack > 0 && prior.owned != c.owned {
		return Capability{}, invalid(headerAt, "relative capability nice_hack", "nonzero, but the prior capability is of the other kind")
	}
	if niceHack == 0 && !c.owned && !prior.owned {
		return Capability{}, invalid(headerAt, "relative capability nice_hack", "zero, but the prior capability is communal too")
	}
	shared := uint64(0)
	if niceHack > 0 {
		shared = niceHack - 1
	}
	if shared > n || shared > uint64(len(prior.delegations)) {
		return Capability{}, invalid(headerAt, "relative capability nice_hack",
			"shares "+strconv.FormatUint(shared, 10)+" delegations, more than the capability's "+strconv.FormatUint(n, 10)+
				" or the prior's "+strconv.Itoa(len(prior.delegations)))
	}
	if c.owned {
		if niceHack == 0 {
			rootAt := d.Offset()
			user, err := d.Array32("relative capability user key")
			if err != nil {
				return Capability{}, err
			}
			c.user = ids.SubspaceID(user)
			if c.initialAuth, err = d.Array64("relative capability initial authorisation"); err != nil {
				return Capability{}, err
			}
			if prior.owned && prior.user == c.user && prior.initialAuth == c.initialAuth {
				return Capability{}, invalid(rootAt, "relative capability nice_hack", "zero, but user and initial authorisation equal the prior's")
			}
		} else {
			c.user, c.initialAuth = prior.user, prior.initialAuth
		}
	}
	if n-shared > uint64(d.Remaining()/minRelativeDelegationLen) {
		return Capability{}, &codec.DecodeError{Kind: codec.ErrTruncated, Offset: countAt, Field: "relative capability delegation count",
			Detail: strconv.FormatUint(n-shared, 10) + " delegations cannot fit in " + strconv.Itoa(d.Remaining()) + " bytes"}
	}
	if n > 0 {
		c.delegations = make([]Delegation, n)
		copy(c.delegations, prior.delegations[:shared])
	}
	for i := int(shared); i < len(c.delegations); i++ {
		del := &c.delegations[i]
		if del.area, err = DecodePrivateAreaAlmostInArea(d, privateContext(c, i, e)); err != nil {
			return Capability{}, err
		}
		if del.user, err = d.Array32("relative delegation user key"); err != nil {
			return Capability{}, err
		}
		if del.signature, err = d.Array64("relative delegation signature"); err != nil {
			return Capability{}, err
		}
	}
	if !c.GrantedArea().IncludesEntry(e) {
		return Capability{}, invalid(headerAt, "relative capability", "the granted area does not include the entry")
	}
	return c, nil
}

// AppendEncodeTokenRelative appends EncodeMeadowcapAuthorisationTokenRelative
// of t relative to the prior authorised entry's token and the entry e that t
// authorises: the relative capability code ‖ the signature. See
// AppendEncodeCapabilityRelative for when it fails.
func AppendEncodeTokenRelative(dst []byte, t, prior AuthorisationToken, e entry.Entry) ([]byte, error) {
	dst, err := AppendEncodeCapabilityRelative(dst, t.capability, prior.capability, e)
	if err != nil {
		return dst, err
	}
	return append(dst, t.signature[:]...), nil
}

// DecodeTokenRelative reads one EncodeMeadowcapAuthorisationTokenRelative
// code relative to the prior token and entry e. It does not verify the
// token: see CheckAuthorisedWrite.
func DecodeTokenRelative(d *codec.Decoder, prior AuthorisationToken, e entry.Entry) (AuthorisationToken, error) {
	c, err := DecodeCapabilityRelative(d, prior.capability, e)
	if err != nil {
		return AuthorisationToken{}, err
	}
	sig, err := d.Array64("token signature")
	if err != nil {
		return AuthorisationToken{}, err
	}
	return AuthorisationToken{capability: c, signature: sig}, nil
}

// AppendEncodeToken appends this package's absolute token encoding, for
// storage: encode_mc_capability(capability) ‖ signature. The spec defines no
// absolute token encoding.
func AppendEncodeToken(dst []byte, t AuthorisationToken) ([]byte, error) {
	dst, err := AppendEncodeMcCapability(dst, t.capability)
	if err != nil {
		return dst, err
	}
	return append(dst, t.signature[:]...), nil
}

// DecodeToken reads one code of AppendEncodeToken (canonic capability code if
// d is canonic). It does not verify the token.
func DecodeToken(d *codec.Decoder) (AuthorisationToken, error) {
	c, err := DecodeMcCapability(d)
	if err != nil {
		return AuthorisationToken{}, err
	}
	sig, err := d.Array64("token signature")
	if err != nil {
		return AuthorisationToken{}, err
	}
	return AuthorisationToken{capability: c, signature: sig}, nil
}

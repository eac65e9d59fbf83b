package meadowcap

import (
	"strconv"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// minDelegationLen is the fewest bytes one delegation takes in the absolute
// capability encodings: an EncodeAreaInArea code (header, at least one byte of
// start difference since 2-bit tags have no inline values, path header), a
// user key and a signature. Decoders use it to refuse counts the input cannot
// hold before allocating.
const minDelegationLen = 3 + 32 + 64

// AppendEncodeCommunalCapability appends encode_communal_capability(c), the
// canonic EncodeCommunalCapability code:
//
//	header: bits 0–1 = 00 (read) or 01 (write), bits 2–7 = 6-bit tag of the delegation count
//	namespace key ‖ user key ‖ compact u64 bytes of the count
//	per delegation: EncodeAreaInArea(area_i, area_{i−1}) ‖ user ‖ signature
//
// with area_{−1} the subspace area of the user. It fails (ErrNotEncodable)
// for owned capabilities and for delegated areas that are not each included
// in the one before.
func AppendEncodeCommunalCapability(dst []byte, c Capability) ([]byte, error) {
	if c.owned {
		return dst, newError(ErrNotEncodable, NoDelegation, "EncodeCommunalCapability of an owned capability", nil)
	}
	return appendEncodeCapability(dst, c)
}

// AppendEncodeOwnedCapability appends encode_owned_capability(c), the canonic
// EncodeOwnedCapability code: as the communal one but with header bits 0–1 =
// 10 (read) or 11 (write), the initial authorisation after the user key, and
// area_{−1} = the full area. It fails (ErrNotEncodable) for communal
// capabilities and for delegated areas that do not form a chain.
func AppendEncodeOwnedCapability(dst []byte, c Capability) ([]byte, error) {
	if !c.owned {
		return dst, newError(ErrNotEncodable, NoDelegation, "EncodeOwnedCapability of a communal capability", nil)
	}
	return appendEncodeCapability(dst, c)
}

// AppendEncodeMcCapability appends encode_mc_capability(c): the communal or
// the owned capability code, whichever applies (the first header bit tells
// them apart).
func AppendEncodeMcCapability(dst []byte, c Capability) ([]byte, error) {
	return appendEncodeCapability(dst, c)
}

// EncodeMcCapability returns encode_mc_capability(c).
func EncodeMcCapability(c Capability) ([]byte, error) {
	return AppendEncodeMcCapability(make([]byte, 0, c.encodedLenHint()), c)
}

func (c Capability) encodedLenHint() int {
	return 1 + 64 + 64 + 8 + len(c.delegations)*(minDelegationLen+16)
}

func appendEncodeCapability(dst []byte, c Capability) ([]byte, error) {
	var header byte
	if c.owned {
		header = 0x80
	}
	if c.mode == Write {
		header |= 0x40
	}
	n := uint64(len(c.delegations))
	start := len(dst)
	dst = append(dst, header|codec.CU64Tag(n, 6))
	dst = append(dst, c.namespace[:]...)
	dst = append(dst, c.user[:]...)
	if c.owned {
		dst = append(dst, c.initialAuth[:]...)
	}
	dst = codec.AppendCU64(dst, n, 6)
	prev := c.baseArea()
	for i, d := range c.delegations {
		var err error
		if dst, err = grouping.AppendEncodeAreaInArea(dst, d.area, prev); err != nil {
			return dst[:start], newError(ErrNotEncodable, i, "delegated area is not included in the one before", err)
		}
		dst = append(dst, d.user[:]...)
		dst = append(dst, d.signature[:]...)
		prev = d.area
	}
	return dst, nil
}

// DecodeCommunalCapability reads one EncodeCommunalCapability code (any code
// of the relation, or only encode_communal_capability if d is canonic). It
// does not verify signatures or the namespace kind: see Capability.Validate.
func DecodeCommunalCapability(d *codec.Decoder) (Capability, error) {
	return decodeCapability(d, kindCommunal)
}

// DecodeOwnedCapability reads one EncodeOwnedCapability code. It does not
// verify signatures or the namespace kind.
func DecodeOwnedCapability(d *codec.Decoder) (Capability, error) {
	return decodeCapability(d, kindOwned)
}

// DecodeMcCapability reads one EncodeMcCapability code, communal or owned. It
// does not verify signatures or the namespace kind.
func DecodeMcCapability(d *codec.Decoder) (Capability, error) {
	return decodeCapability(d, kindEither)
}

type capKind uint8

const (
	kindEither capKind = iota
	kindCommunal
	kindOwned
)

func decodeCapability(d *codec.Decoder, kind capKind) (Capability, error) {
	headerAt := d.Offset()
	header, err := d.Byte("capability header")
	if err != nil {
		return Capability{}, err
	}
	var c Capability
	c.owned = header&0x80 != 0
	if (kind == kindCommunal && c.owned) || (kind == kindOwned && !c.owned) {
		return Capability{}, &codec.DecodeError{Kind: codec.ErrInvalid, Offset: headerAt, Field: "capability header",
			Detail: "wrong capability kind (first header bit)"}
	}
	if header&0x40 != 0 {
		c.mode = Write
	}
	ns, err := d.Array32("capability namespace key")
	if err != nil {
		return Capability{}, err
	}
	user, err := d.Array32("capability user key")
	if err != nil {
		return Capability{}, err
	}
	c.namespace, c.user = ids.NamespaceID(ns), ids.SubspaceID(user)
	if c.owned {
		if c.initialAuth, err = d.Array64("capability initial authorisation"); err != nil {
			return Capability{}, err
		}
	}
	countAt := d.Offset()
	n, err := d.CU64(header&0x3f, 6, "capability delegation count")
	if err != nil {
		return Capability{}, err
	}
	if n > uint64(d.Remaining()/minDelegationLen) {
		return Capability{}, &codec.DecodeError{Kind: codec.ErrTruncated, Offset: countAt, Field: "capability delegation count",
			Detail: strconv.FormatUint(n, 10) + " delegations cannot fit in " + strconv.Itoa(d.Remaining()) + " bytes"}
	}
	if n > 0 {
		c.delegations = make([]Delegation, n)
	}
	prev := c.baseArea()
	for i := range c.delegations {
		del := &c.delegations[i]
		if del.area, err = grouping.DecodeAreaInArea(d, prev); err != nil {
			return Capability{}, err
		}
		if del.user, err = d.Array32("delegation user key"); err != nil {
			return Capability{}, err
		}
		if del.signature, err = d.Array64("delegation signature"); err != nil {
			return Capability{}, err
		}
		prev = del.area
	}
	return c, nil
}

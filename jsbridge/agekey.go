package jsbridge

import (
	"errors"
	"strconv"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal/agekey"
)

// OpAgeKeys derives age keys from subspace keys (package seal/agekey, which
// does not link age itself: the façade encrypts with the age-encryption npm
// package).
//
//	request:  u8 kind (0 recipients of subspace ids, 1 identities of subspace secrets) ‖ uvarint n ‖ n × id
//	response: n × string (age1… or AGE-SECRET-KEY-1…)
const OpAgeKeys = 0x38

// CodeBadKey: a subspace id is not usable as an encryption key (not a point
// of the prime-order subgroup; no honest ed25519 public key is such an id).
const CodeBadKey = "bad_key"

func opAgeKeys(r *Reader, w *Writer) error {
	kind := r.U8("kind")
	n := r.Count("count", 32)
	keys := make([][32]byte, n)
	for i := range keys {
		keys[i] = r.Array32("key")
	}
	if err := r.Done(); err != nil {
		return err
	}
	for i, k := range keys {
		switch kind {
		case 0:
			s, err := agekey.RecipientString(ids.SubspaceID(k))
			if err != nil {
				if errors.Is(err, agekey.ErrBadKey) {
					return atIndex(errorf(CodeBadKey, err.Error()), i)
				}
				return atIndex(err, i)
			}
			w.String(s)
		case 1:
			w.String(agekey.IdentityString(ids.SecretKey(k)))
		default:
			return errorf(CodeInvalidArgument, "unknown age key kind "+strconv.Itoa(int(kind)))
		}
	}
	return nil
}

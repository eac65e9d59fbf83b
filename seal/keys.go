package seal

import (
	"fmt"
	"strings"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal/agekey"
)

// SubspaceRecipient returns the age recipient that seals to the holder of a
// subspace id's secret.
func SubspaceRecipient(id ids.SubspaceID) (*age.X25519Recipient, error) {
	s, err := agekey.RecipientString(id)
	if err != nil {
		return nil, err
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return nil, fmt.Errorf("seal: recipient of subspace %v: %w", id, err)
	}
	return r, nil
}

// SubspaceIdentity returns the age identity that opens drops sealed to the
// subspace id of sk.
func SubspaceIdentity(sk ids.SecretKey) (*age.X25519Identity, error) {
	i, err := age.ParseX25519Identity(agekey.IdentityString(sk))
	if err != nil {
		return nil, fmt.Errorf("seal: identity of a subspace secret: %w", err)
	}
	return i, nil
}

// ParseRecipient parses an age recipient string: X25519 (age1…) or hybrid
// post-quantum (age1pq1…). age refuses to mix the two kinds in one drop.
func ParseRecipient(s string) (age.Recipient, error) {
	if strings.HasPrefix(s, "age1pq1") {
		r, err := age.ParseHybridRecipient(s)
		if err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		return r, nil
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return r, nil
}

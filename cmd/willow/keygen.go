package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal/agekey"
)

// keygenUsage is the help text of the keygen command.
const keygenUsage = "keygen KIND           print a fresh key pair as {\"public\",\"secret\"} in hex; KIND is subspace,\n" +
	"                        communal or owned; the secret is the ed25519 seed\n" +
	"  keygen subspace --age also print the key pair as age keys for sealed drops:\n" +
	"                        {…,\"age_recipient\":\"age1…\",\"age_identity\":\"AGE-SECRET-KEY-1…\"}"

func runKeygen(args []string, random io.Reader, stdout io.Writer) error {
	withAge := len(args) == 2 && args[1] == "--age"
	if withAge {
		if args[0] != "subspace" {
			return errors.New("--age is for subspace keys, to which drops are sealed")
		}
		args = args[:1]
	}
	if len(args) != 1 {
		return errors.New("want exactly one kind: subspace, communal or owned")
	}
	var (
		public [32]byte
		secret ids.SecretKey
		err    error
	)
	switch args[0] {
	case "subspace":
		var id ids.SubspaceID
		id, secret, err = ids.GenerateSubspace(random)
		public = id
	case "communal":
		var id ids.NamespaceID
		id, secret, err = ids.GenerateCommunalNamespace(random)
		public = id
	case "owned":
		var id ids.NamespaceID
		id, secret, err = ids.GenerateOwnedNamespace(random)
		public = id
	default:
		return fmt.Errorf("unknown kind %q: want subspace, communal or owned", args[0])
	}
	if err != nil {
		return err
	}
	pair := struct {
		Public       string `json:"public"`
		Secret       string `json:"secret"`
		AgeRecipient string `json:"age_recipient,omitempty"`
		AgeIdentity  string `json:"age_identity,omitempty"`
	}{Public: hex.EncodeToString(public[:]), Secret: hex.EncodeToString(secret[:])}
	if withAge {
		if pair.AgeRecipient, err = agekey.RecipientString(ids.SubspaceID(public)); err != nil {
			return err
		}
		pair.AgeIdentity = agekey.IdentityString(secret)
	}
	out, err := json.Marshal(pair)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/willow-web/willow-web/core/ids"
)

// keygenUsage is the help text of the keygen command.
const keygenUsage = "keygen KIND           print a fresh key pair as {\"public\",\"secret\"} in hex; KIND is subspace,\n" +
	"                        communal or owned; the secret is the ed25519 seed"

func runKeygen(args []string, random io.Reader, stdout io.Writer) error {
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
	out, err := json.Marshal(struct {
		Public string `json:"public"`
		Secret string `json:"secret"`
	}{hex.EncodeToString(public[:]), hex.EncodeToString(secret[:])})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}

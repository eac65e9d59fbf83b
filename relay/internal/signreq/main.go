// Command signreq prints the Willow-* headers that authenticate one relay
// request, as JSON, for tests and scripts that speak HTTP themselves:
//
//	signreq --subspace-secret HEX --namespace ID [--namespace-secret HEX]
//	        --mode read|write [--at UNIX_SECONDS] METHOD TARGET [BODY_FILE]
//
// --at signs for another time than now: the relay refuses a second use of
// one signature (replay protection), so a caller that sends the same request
// twice within a second passes distinct timestamps.
// The capability is the communal one of the subspace (or, with
// --namespace-secret, the owned one the namespace grants it).
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/relay"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "signreq:", err)
		os.Exit(1)
	}
}

func secret(s string) (ids.SecretKey, error) {
	var k ids.SecretKey
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(k) {
		return k, fmt.Errorf("a secret is 64 hex digits")
	}
	copy(k[:], b)
	return k, nil
}

func run() error {
	subSecret := flag.String("subspace-secret", "", "receiver's secret (hex seed)")
	nsID := flag.String("namespace", "", "namespace id")
	nsSecret := flag.String("namespace-secret", "", "namespace secret, for an owned capability")
	mode := flag.String("mode", "read", "read or write")
	at := flag.Int64("at", 0, "sign for this Unix time (default: now)")
	flag.Parse()
	if flag.NArg() < 2 || flag.NArg() > 3 {
		return fmt.Errorf("usage: signreq --subspace-secret HEX --namespace ID --mode read|write METHOD TARGET [BODY_FILE]")
	}
	sk, err := secret(*subSecret)
	if err != nil {
		return fmt.Errorf("--subspace-secret: %w", err)
	}
	ns, err := ids.ParseNamespaceID(*nsID)
	if err != nil {
		return fmt.Errorf("--namespace: %w", err)
	}
	am := meadowcap.Read
	if *mode == "write" {
		am = meadowcap.Write
	} else if *mode != "read" {
		return fmt.Errorf("--mode is read or write")
	}
	user := ids.SubspaceID(sk.PublicKey())
	var c meadowcap.Capability
	if *nsSecret != "" {
		nk, err := secret(*nsSecret)
		if err != nil {
			return fmt.Errorf("--namespace-secret: %w", err)
		}
		c, err = meadowcap.NewOwned(am, nk, user)
		if err != nil {
			return fmt.Errorf("owned capability: %w", err)
		}
	} else if c, err = meadowcap.NewCommunal(am, ns, user); err != nil {
		return fmt.Errorf("communal capability: %w", err)
	}
	var body []byte
	if flag.NArg() == 3 {
		if body, err = os.ReadFile(flag.Arg(2)); err != nil {
			return fmt.Errorf("body: %w", err)
		}
	}
	r, err := http.NewRequest(flag.Arg(0), "http://relay"+flag.Arg(1), nil)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	now := time.Now()
	if *at != 0 {
		now = time.Unix(*at, 0)
	}
	if err := relay.SignRequest(r, body, c, sk, now); err != nil {
		return err
	}
	out := map[string]string{}
	for _, h := range []string{relay.HeaderCapability, relay.HeaderSignature, relay.HeaderTimestamp} {
		out[h] = r.Header.Get(h)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

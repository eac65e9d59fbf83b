package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/relay"
)

// relayUsage is the help text of the relay command.
const relayUsage = "relay push   AUTH [DROPFILE|-]     upload a drop; print the relay's JSON answer\n" +
	"  relay list   AUTH                  print one JSON line per stored drop (all pages)\n" +
	"  relay pull   AUTH [-o FILE] ID     download a drop and check its WILLIAM3 id\n" +
	"  relay delete AUTH ID               delete a drop you uploaded\n" +
	"      AUTH: --url URL --secret HEX (--namespace ID | --namespace-secret HEX) [--capability FILE|HEX]\n" +
	"            without --capability: the communal capability of --secret's key, or for an owned\n" +
	"            namespace one minted with --namespace-secret; --capability is hex of encode_mc_capability"

// relayTimeout bounds one relay request.
const relayTimeout = 5 * time.Minute

// relayClient is the HTTP client of the relay command (tests may replace it).
var relayClient = &http.Client{Timeout: relayTimeout}

func runRelay(args []string, e env) error {
	if len(args) == 0 {
		return errors.New("want a subcommand: push, list, pull or delete")
	}
	sub, args := args[0], args[1:]
	mode := meadowcap.Read
	switch sub {
	case "push", "delete":
		mode = meadowcap.Write
	case "list", "pull":
	default:
		return fmt.Errorf("unknown subcommand %q: want push, list, pull or delete", sub)
	}
	fl := flag.NewFlagSet("relay "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	rawURL := fl.String("url", "", "relay base URL, e.g. https://relay.example.org")
	secret := fl.String("secret", "", "the capability receiver's subspace secret (hex)")
	namespace := fl.String("namespace", "", "namespace id")
	namespaceSecret := fl.String("namespace-secret", "", "namespace secret (hex): mint an owned capability for --secret's key")
	capArg := fl.String("capability", "", "a file holding, or the hex of, encode_mc_capability")
	out := fl.String("o", "", "pull: write the drop to FILE instead of stdout")
	pos, err := parseInterspersed(fl, args)
	if err != nil {
		return err
	}
	if sub != "pull" && *out != "" {
		return errors.New("-o is for pull only")
	}
	cl, err := newRelayClient(*rawURL, *secret, *namespace, *namespaceSecret, *capArg, mode)
	if err != nil {
		return err
	}
	switch sub {
	case "push":
		if len(pos) > 1 {
			return errors.New("push takes one drop file (or - for stdin)")
		}
		name := "-"
		if len(pos) == 1 {
			name = pos[0]
		}
		return cl.push(name, e)
	case "list":
		if len(pos) != 0 {
			return errors.New("list takes no arguments")
		}
		return cl.list(e.stdout)
	case "pull":
		if len(pos) != 1 {
			return errors.New("pull takes one drop id")
		}
		return cl.pull(pos[0], *out, e.stdout)
	default:
		if len(pos) != 1 {
			return errors.New("delete takes one drop id")
		}
		return cl.delete(pos[0], e.stdout)
	}
}

// parseInterspersed parses flags before, between and after positional
// arguments ("pull ID -o FILE" and "pull -o FILE ID" alike); "--" ends the
// flags.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		rest := fl.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// relayClientState is one relay command's target and credentials.
type relayClientState struct {
	base   string // the drops URL of the namespace, without a trailing slash
	target string // its escaped path
	c      meadowcap.Capability
	secret ids.SecretKey
}

func newRelayClient(rawURL, secretHex, namespace, namespaceSecret, capArg string, mode meadowcap.AccessMode) (*relayClientState, error) {
	if rawURL == "" {
		return nil, errors.New("need --url")
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--url %q: want an http or https URL", rawURL)
	}
	if secretHex == "" {
		return nil, errors.New("need --secret (the subspace secret the capability is for)")
	}
	sk, err := parseSecret(secretHex, "--secret")
	if err != nil {
		return nil, err
	}
	user := ids.SubspaceID(sk.PublicKey())
	var c meadowcap.Capability
	if capArg != "" {
		if c, err = readCapability(capArg); err != nil {
			return nil, err
		}
		if c.Receiver() != user {
			return nil, fmt.Errorf("--capability is for %s, not for --secret's key %s", c.Receiver(), user)
		}
		if c.AccessMode() != mode {
			return nil, fmt.Errorf("--capability is a %s capability; this needs %s", c.AccessMode(), mode)
		}
		if namespace != "" {
			ns, err := ids.ParseNamespaceID(namespace)
			if err != nil {
				return nil, fmt.Errorf("--namespace: %w", err)
			}
			if ns != c.GrantedNamespace() {
				return nil, errors.New("--namespace does not match --capability")
			}
		}
	} else if c, err = relayCapability(sk, namespace, namespaceSecret, mode); err != nil {
		return nil, err
	}
	ns := c.GrantedNamespace()
	path := "/v1/namespaces/" + hex.EncodeToString(ns[:]) + "/drops"
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	return &relayClientState{base: u.String(), target: u.EscapedPath(), c: c, secret: sk}, nil
}

// relayCapability builds the capability of sk's key for mode: communal for a
// communal namespace, owned (minted with the namespace secret) otherwise.
func relayCapability(sk ids.SecretKey, namespace, namespaceSecret string, mode meadowcap.AccessMode) (meadowcap.Capability, error) {
	user := ids.SubspaceID(sk.PublicKey())
	if namespaceSecret != "" {
		nsSecret, err := parseSecret(namespaceSecret, "--namespace-secret")
		if err != nil {
			return meadowcap.Capability{}, err
		}
		ns := ids.NamespaceID(nsSecret.PublicKey())
		if namespace != "" {
			if given, err := ids.ParseNamespaceID(namespace); err != nil || given != ns {
				return meadowcap.Capability{}, errors.New("--namespace does not match --namespace-secret")
			}
		}
		if ns.IsCommunal() {
			return meadowcap.NewCommunal(mode, ns, user)
		}
		return meadowcap.NewOwned(mode, nsSecret, user)
	}
	if namespace == "" {
		return meadowcap.Capability{}, errors.New("need --namespace, --namespace-secret or --capability")
	}
	ns, err := ids.ParseNamespaceID(namespace)
	if err != nil {
		return meadowcap.Capability{}, fmt.Errorf("--namespace: %w", err)
	}
	if !ns.IsCommunal() {
		return meadowcap.Capability{}, fmt.Errorf("namespace %v is owned: give --capability, or --namespace-secret to mint one", ns)
	}
	return meadowcap.NewCommunal(mode, ns, user)
}

// readCapability reads a capability given as the hex of
// encode_mc_capability, or as the name of a file holding that hex
// (surrounding whitespace is ignored).
func readCapability(arg string) (meadowcap.Capability, error) {
	text := arg
	if _, err := hex.DecodeString(strings.TrimSpace(arg)); err != nil {
		b, rerr := os.ReadFile(arg)
		if rerr != nil {
			return meadowcap.Capability{}, fmt.Errorf("--capability: neither hex nor a readable file: %w", rerr)
		}
		text = string(b)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return meadowcap.Capability{}, fmt.Errorf("--capability: want the hex of encode_mc_capability: %w", err)
	}
	d := codec.NewDecoder(raw, codec.Relation)
	c, err := meadowcap.DecodeMcCapability(d)
	if err != nil {
		return c, fmt.Errorf("--capability: %w", err)
	}
	if d.Remaining() != 0 {
		return c, errors.New("--capability: trailing bytes after the capability")
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("--capability: not valid: %w", err)
	}
	return c, nil
}

// replayRetries is how many later seconds do signs for when the relay
// refuses a request as replayed: two identical requests within one second
// have the same signature (the signed timestamp is in seconds), so a repeat
// is signed for the next second instead.
const replayRetries = 3

// do sends one signed request and returns the response body of a 2xx
// answer; any other answer becomes an error naming the relay's code.
func (cl *relayClientState) do(method, suffix string, body []byte) ([]byte, error) {
	now := time.Now()
	for attempt := 0; ; attempt++ {
		status, data, err := cl.send(method, suffix, body, now.Add(time.Duration(attempt)*time.Second))
		if err != nil {
			return nil, err
		}
		if status/100 == 2 {
			return data, nil
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &e) != nil || e.Error.Code == "" {
			return nil, fmt.Errorf("relay answered %d %s", status, http.StatusText(status))
		}
		if e.Error.Code == string(relay.CodeReplayedRequest) && attempt < replayRetries {
			continue
		}
		return nil, fmt.Errorf("relay answered %d %s: %s", status, e.Error.Code, e.Error.Message)
	}
}

// send sends one request signed for time at and returns the status and body.
func (cl *relayClientState) send(method, suffix string, body []byte, at time.Time) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, cl.base+suffix, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("request: %w", err)
	}
	if err := relay.SignRequest(r, body, cl.c, cl.secret, at); err != nil {
		return 0, nil, err
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/octet-stream")
	}
	resp, err := relayClient.Do(r)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, cl.base+suffix, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("reading the answer to %s: %w", method, err)
	}
	return resp.StatusCode, data, nil
}

func (cl *relayClientState) push(name string, e env) error {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("reading the drop: %w", err)
	}
	answer, err := cl.do(http.MethodPut, "", data)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(answer)
	return err
}

func (cl *relayClientState) list(stdout io.Writer) error {
	after := ""
	for {
		q := "?limit=" + strconv.Itoa(relay.MaxListLimit)
		if after != "" {
			q += "&after=" + url.QueryEscape(after)
		}
		data, err := cl.do(http.MethodGet, q, nil)
		if err != nil {
			return err
		}
		var page struct {
			Drops []json.RawMessage `json:"drops"`
			Next  string            `json:"next"`
		}
		if err := json.Unmarshal(data, &page); err != nil {
			return fmt.Errorf("the relay's listing: %w", err)
		}
		for _, d := range page.Drops {
			if _, err := fmt.Fprintf(stdout, "%s\n", d); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		after = page.Next
	}
}

func parseDropID(s string) (ids.PayloadDigest, error) {
	id, err := ids.ParsePayloadDigest(s)
	if err != nil {
		return id, fmt.Errorf("drop id %q: want 64 hex digits", s)
	}
	return id, nil
}

func (cl *relayClientState) pull(idArg, out string, stdout io.Writer) error {
	id, err := parseDropID(idArg)
	if err != nil {
		return err
	}
	data, err := cl.do(http.MethodGet, "/"+id.String(), nil)
	if err != nil {
		return err
	}
	if got := ids.PayloadDigest(bab.Sum(data)); got != id {
		return fmt.Errorf("the relay sent bytes with WILLIAM3 %s, not %s; nothing written", got, id)
	}
	if out == "" {
		_, err = stdout.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("writing the drop: %w", err)
	}
	return nil
}

func (cl *relayClientState) delete(idArg string, stdout io.Writer) error {
	id, err := parseDropID(idArg)
	if err != nil {
		return err
	}
	if _, err := cl.do(http.MethodDelete, "/"+id.String(), nil); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "deleted %s\n", id)
	return err
}

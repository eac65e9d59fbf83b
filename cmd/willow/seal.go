package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal"
	"github.com/willow-web/willow-web/seal/agekey"
)

// Sealed drops on the command line. drop create seals whenever it is given a
// recipient (--to, --to-subspace, --passphrase, --passphrase-file) and writes
// plaintext otherwise: --plaintext says so explicitly and is refused together
// with recipients, and a create with neither still writes plaintext so that
// scripts from before sealed drops keep working. drop open, inspect and
// verify detect sealed input and open it with --identity, --subspace-secret
// or a passphrase.

// ageUsage is the help text of the age command.
const ageUsage = "age SUBSPACE_ID        print the age recipient (age1…) that seals drops to a subspace\n" +
	"  age --subspace-secret HEX\n" +
	"                        print an age identity file (AGE-SECRET-KEY-1…) that opens them (age -d -i)"

// passphraseEnv is where --passphrase reads the passphrase: never from the
// command line, where other users and shell histories see it.
const passphraseEnv = "WILLOW_PASSPHRASE"

// workFactorEnv optionally sets the scrypt work factor (log2 N, 1–22) of
// passphrase sealing; age's default is 18.
const workFactorEnv = "WILLOW_PASSPHRASE_WORK_FACTOR"

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// passphraseFlags choose a passphrase: from $WILLOW_PASSPHRASE or a file.
type passphraseFlags struct {
	fromEnv bool
	file    string
}

func (p *passphraseFlags) register(fl *flag.FlagSet) {
	fl.BoolVar(&p.fromEnv, "passphrase", false, "use the passphrase in $"+passphraseEnv)
	fl.StringVar(&p.file, "passphrase-file", "", "use the passphrase in FILE (one trailing newline is dropped)")
}

// get returns the chosen passphrase, or "" if none was asked for.
func (p *passphraseFlags) get(e env) (string, error) {
	switch {
	case p.fromEnv && p.file != "":
		return "", errors.New("--passphrase and --passphrase-file exclude each other")
	case p.fromEnv:
		pass := e.lookup(passphraseEnv)
		if pass == "" {
			return "", fmt.Errorf("--passphrase: $%s is not set (the passphrase is never an argument)", passphraseEnv)
		}
		return pass, nil
	case p.file != "":
		b, err := os.ReadFile(p.file)
		if err != nil {
			return "", fmt.Errorf("--passphrase-file: %w", err)
		}
		pass := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if pass == "" {
			return "", fmt.Errorf("--passphrase-file %s: empty passphrase", p.file)
		}
		return pass, nil
	}
	return "", nil
}

// sealFlags are the recipients of drop create.
type sealFlags struct {
	to, toSubspace listFlag
	passphrase     passphraseFlags
	plaintext      bool
}

func (s *sealFlags) register(fl *flag.FlagSet) {
	fl.Var(&s.to, "to", "seal to an age recipient (age1…); repeatable")
	fl.Var(&s.toSubspace, "to-subspace", "seal to the holder of a subspace id (hex); repeatable")
	s.passphrase.register(fl)
	fl.BoolVar(&s.plaintext, "plaintext", false, "write a plaintext drop (no recipients)")
}

// recipients returns the age recipients asked for: none means plaintext.
func (s *sealFlags) recipients(e env) ([]age.Recipient, error) {
	if s.plaintext && (len(s.to) > 0 || len(s.toSubspace) > 0 || s.passphrase.fromEnv || s.passphrase.file != "") {
		return nil, errors.New("--plaintext contradicts the recipients given")
	}
	var rs []age.Recipient
	for _, t := range s.to {
		r, err := seal.ParseRecipient(t)
		if err != nil {
			return nil, fmt.Errorf("--to: %w", err)
		}
		rs = append(rs, r)
	}
	for _, t := range s.toSubspace {
		id, err := ids.ParseSubspaceID(t)
		if err != nil {
			return nil, fmt.Errorf("--to-subspace: %w", err)
		}
		r, err := seal.SubspaceRecipient(id)
		if err != nil {
			return nil, fmt.Errorf("--to-subspace: %w", err)
		}
		rs = append(rs, r)
	}
	pass, err := s.passphrase.get(e)
	if err != nil {
		return nil, err
	}
	if pass != "" {
		if len(rs) > 0 {
			return nil, errors.New("a passphrase must be the only recipient of a sealed drop (age refuses to mix it with keys)")
		}
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return nil, err
		}
		if wf := e.lookup(workFactorEnv); wf != "" {
			n, err := strconv.Atoi(wf)
			if err != nil || n < 1 || n > 22 {
				return nil, fmt.Errorf("$%s: want a number from 1 to 22, got %q", workFactorEnv, wf)
			}
			r.SetWorkFactor(n)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// sealedOutput wraps w in a sealing writer if there are recipients.
func sealedOutput(w io.Writer, recipients []age.Recipient) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return nopCloser{w}, nil
	}
	return seal.Seal(w, recipients...)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// openFlags are the identities that open a sealed drop.
type openFlags struct {
	identityFiles   listFlag
	subspaceSecrets listFlag
	passphrase      passphraseFlags
}

func (o *openFlags) register(fl *flag.FlagSet) {
	fl.Var(&o.identityFiles, "identity", "age identity file (AGE-SECRET-KEY-1… lines); repeatable")
	fl.Var(&o.subspaceSecrets, "subspace-secret", "subspace secret (hex) whose subspace the drop is sealed to; repeatable")
	o.passphrase.register(fl)
}

// identities returns the age identities asked for.
func (o *openFlags) identities(e env) ([]age.Identity, error) {
	var is []age.Identity
	for _, name := range o.identityFiles {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("--identity: %w", err)
		}
		parsed, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("--identity %s: %w", name, err)
		}
		is = append(is, parsed...)
	}
	for _, s := range o.subspaceSecrets {
		sk, err := parseSecret(s, "--subspace-secret")
		if err != nil {
			return nil, err
		}
		i, err := seal.SubspaceIdentity(sk)
		if err != nil {
			return nil, err
		}
		is = append(is, i)
	}
	pass, err := o.passphrase.get(e)
	if err != nil {
		return nil, err
	}
	if pass != "" {
		i, err := age.NewScryptIdentity(pass)
		if err != nil {
			return nil, err
		}
		is = append(is, i)
	}
	return is, nil
}

// openDropInput parses the identity flags and the one input argument of
// drop inspect, verify and open, and returns the plaintext drop: the input
// itself, or the opened sealed drop. With requireSealed, plaintext input is
// an error.
func openDropInput(sub string, args []string, e env, requireSealed bool, extra func(*flag.FlagSet)) (io.Reader, func(), error) {
	fl := flag.NewFlagSet("drop "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var of openFlags
	of.register(fl)
	if extra != nil {
		extra(fl)
	}
	if err := fl.Parse(args); err != nil {
		return nil, nil, err
	}
	if fl.NArg() != 1 {
		return nil, nil, fmt.Errorf("%s takes one argument: a drop file, or - for stdin", sub)
	}
	identities, err := of.identities(e)
	if err != nil {
		return nil, nil, err
	}
	in, closeIn, err := openInput(fl.Arg(0), e.stdin)
	if err != nil {
		return nil, nil, err
	}
	plain, sealed, err := seal.Reader(in, identities...)
	if err == nil && requireSealed && !sealed {
		err = fmt.Errorf("%w: %s is a plaintext drop already", seal.ErrNotSealed, fl.Arg(0))
	}
	if err != nil {
		closeIn()
		if errors.Is(err, seal.ErrNoIdentity) && len(identities) == 0 {
			return nil, nil, fmt.Errorf("%s is a sealed drop: give --identity FILE, --subspace-secret HEX or --passphrase", fl.Arg(0))
		}
		return nil, nil, err
	}
	return plain, closeIn, nil
}

// openDrop implements drop open: the plaintext drop of a sealed one.
func openDrop(args []string, e env) error {
	var out string
	plain, closeIn, err := openDropInput("open", args, e, true, func(fl *flag.FlagSet) {
		fl.StringVar(&out, "o", "", "write the plaintext drop to FILE instead of stdout")
	})
	if err != nil {
		return err
	}
	defer closeIn()
	if out == "" {
		_, err := io.Copy(e.stdout, plain)
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, plain); err != nil {
		f.Close()
		os.Remove(out) // no half-opened drops left behind
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runAge implements the age command.
func runAge(args []string, e env) error {
	fl := flag.NewFlagSet("age", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	secret := fl.String("subspace-secret", "", "subspace secret (hex)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	switch {
	case *secret != "" && fl.NArg() == 0:
		sk, err := parseSecret(*secret, "--subspace-secret")
		if err != nil {
			return err
		}
		id := ids.SubspaceID(sk.PublicKey())
		recipient, err := agekey.RecipientString(id)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "# subspace: %v\n# public key: %s\n%s\n", id, recipient, agekey.IdentityString(sk))
		return err
	case *secret == "" && fl.NArg() == 1:
		id, err := ids.ParseSubspaceID(fl.Arg(0))
		if err != nil {
			return err
		}
		recipient, err := agekey.RecipientString(id)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(e.stdout, recipient)
		return err
	}
	return errors.New("want a subspace id, or --subspace-secret HEX alone")
}

// lookup reads an environment variable through e.getenv; a nil getenv is an
// empty environment.
func (e env) lookup(name string) string {
	if e.getenv == nil {
		return ""
	}
	return e.getenv(name)
}

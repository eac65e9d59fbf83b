package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

// dropUsage is the help text of the drop command.
const dropUsage = "drop inspect [OPEN] FILE|-\n" +
	"                        print one JSON line per item of a drop (entry, authorised, slices)\n" +
	"  drop verify [OPEN] FILE|-\n" +
	"                        exit 0 iff the whole drop is valid; else one line naming the item and offset\n" +
	"  drop open OPEN [-o FILE] FILE|-\n" +
	"                        write the plaintext drop of a sealed (age-encrypted) drop\n" +
	"  drop create --subspace-secret HEX (--namespace ID | --namespace-secret HEX)\n" +
	"              [--path-prefix /a/b] [--timestamp N] [-o FILE] [SEAL | --plaintext] DIR\n" +
	"                        make a drop of every file under DIR (path = prefix + relative path);\n" +
	"                        sealed iff recipients are given (no recipients: plaintext, as before)\n" +
	"      SEAL: --to age1… (repeatable) --to-subspace HEX (repeatable) | --passphrase | --passphrase-file F\n" +
	"      OPEN: sealed input is detected; --identity FILE (repeatable) --subspace-secret HEX (repeatable)\n" +
	"            --passphrase | --passphrase-file F; --passphrase reads $WILLOW_PASSPHRASE"

func runDrop(args []string, e env) error {
	if len(args) == 0 {
		return errors.New("missing subcommand: inspect, verify, open or create")
	}
	stdout := e.stdout
	switch args[0] {
	case "inspect", "verify":
		in, closeIn, err := openDropInput(args[0], args[1:], e, false, nil)
		if err != nil {
			return err
		}
		defer closeIn()
		if args[0] == "verify" {
			sum, err := drop.Verify(in)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "valid drop: %d items, %d payload bytes, %d bytes\n", sum.Items, sum.PayloadBytes, sum.Bytes)
			return err
		}
		return inspectDrop(in, stdout)
	case "open":
		return openDrop(args[1:], e)
	case "create":
		return createDrop(args[1:], e)
	}
	return fmt.Errorf("unknown subcommand %q: want inspect, verify, open or create", args[0])
}

func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return bufio.NewReaderSize(stdin, 64<<10), func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return bufio.NewReaderSize(f, 64<<10), func() { f.Close() }, nil
}

// inspectedJSON is one line of drop inspect: the entry as entry decode
// prints it, plus authorisation and the payload slices as [start, count]
// chunk ranges.
type inspectedJSON struct {
	entryJSON
	Authorised bool        `json:"authorised"`
	Reason     string      `json:"reason,omitempty"`
	Mode       string      `json:"mode"`
	Slices     [][2]uint64 `json:"slices"`
}

func inspectDrop(in io.Reader, stdout io.Writer) error {
	enc := json.NewEncoder(stdout)
	return drop.Inspect(in, func(it drop.Inspected) error {
		line := inspectedJSON{entryJSON: jsonOfEntry(it.Item.Entry), Authorised: it.Authorised, Mode: it.Item.Mode.String(), Slices: [][2]uint64{}}
		if it.AuthError != nil {
			line.Reason = it.AuthError.Error()
		}
		for _, s := range it.Slices {
			line.Slices = append(line.Slices, [2]uint64{s.Start, s.Count})
		}
		return enc.Encode(line)
	})
}

// createDrop implements drop create.
func createDrop(args []string, e env) error {
	fl := flag.NewFlagSet("drop create", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	subspaceSecret := fl.String("subspace-secret", "", "author's subspace secret (hex)")
	namespace := fl.String("namespace", "", "communal namespace id (hex, optionally +/- prefixed)")
	namespaceSecret := fl.String("namespace-secret", "", "namespace secret (hex); required for owned namespaces")
	prefix := fl.String("path-prefix", "", "path prefix, e.g. /blog/2026")
	timestamp := fl.Uint64("timestamp", 0, "timestamp of every entry (default: now)")
	out := fl.String("o", "", "write the drop to FILE instead of stdout")
	var sf sealFlags
	sf.register(fl)
	if err := fl.Parse(args); err != nil {
		return err
	}
	recipients, err := sf.recipients(e)
	if err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return errors.New("create takes one directory argument")
	}
	author, err := parseSecret(*subspaceSecret, "--subspace-secret")
	if err != nil {
		return err
	}
	capability, err := writeCapability(author, *namespace, *namespaceSecret)
	if err != nil {
		return err
	}
	base, err := parseSlashPath(*prefix)
	if err != nil {
		return err
	}
	ts := entry.Timestamp(*timestamp)
	if ts == 0 {
		ts = entry.Now()
	}
	files, err := listFiles(fl.Arg(0))
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	sw, err := sealedOutput(w, recipients)
	if err != nil {
		return err
	}
	dw := drop.NewWriter(sw)
	for _, rel := range files {
		if err := addFile(dw, capability, author, base, fl.Arg(0), rel, ts); err != nil {
			return err
		}
	}
	if err := dw.Close(); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		return f.Sync()
	}
	return nil
}

func parseSecret(s, flagName string) (ids.SecretKey, error) {
	var k ids.SecretKey
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return k, fmt.Errorf("%s: want 64 hex digits", flagName)
	}
	copy(k[:], b)
	return k, nil
}

// writeCapability returns the author's write capability: communal for a
// communal namespace, owned (signed with the namespace secret) otherwise.
func writeCapability(author ids.SecretKey, namespace, namespaceSecret string) (meadowcap.Capability, error) {
	user := ids.SubspaceID(author.PublicKey())
	var ns ids.NamespaceID
	var nsSecret ids.SecretKey
	switch {
	case namespaceSecret != "":
		var err error
		if nsSecret, err = parseSecret(namespaceSecret, "--namespace-secret"); err != nil {
			return meadowcap.Capability{}, err
		}
		ns = ids.NamespaceID(nsSecret.PublicKey())
		if namespace != "" {
			given, err := ids.ParseNamespaceID(namespace)
			if err != nil || given != ns {
				return meadowcap.Capability{}, errors.New("--namespace does not match --namespace-secret")
			}
		}
	case namespace != "":
		var err error
		if ns, err = ids.ParseNamespaceID(namespace); err != nil {
			return meadowcap.Capability{}, err
		}
	default:
		return meadowcap.Capability{}, errors.New("need --namespace or --namespace-secret")
	}
	if ns.IsCommunal() {
		return meadowcap.NewCommunal(meadowcap.Write, ns, user)
	}
	if namespaceSecret == "" {
		return meadowcap.Capability{}, fmt.Errorf("namespace %v is owned: --namespace-secret is needed to grant the write capability", ns)
	}
	return meadowcap.NewOwned(meadowcap.Write, nsSecret, user)
}

// parseSlashPath reads /a/b as the path [a, b] ("" and "/" are empty).
func parseSlashPath(s string) (path.Path, error) {
	s = strings.Trim(s, "/")
	if s == "" {
		return path.Path{}, nil
	}
	return path.FromStrings(strings.Split(s, "/")...)
}

func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// addFile hashes one file (streaming) and adds it to the drop, streaming its
// bytes again as the payload.
func addFile(dw *drop.Writer, c meadowcap.Capability, author ids.SecretKey, base path.Path, dir, rel string, ts entry.Timestamp) error {
	full := filepath.Join(dir, rel)
	f, err := os.Open(full)
	if err != nil {
		return err
	}
	defer f.Close()
	h := bab.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("%s: %w", full, err)
	}
	p := base
	for _, comp := range strings.Split(filepath.ToSlash(rel), "/") {
		if p, err = p.Append([]byte(comp)); err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
	}
	e := entry.Entry{NamespaceID: c.GrantedNamespace(), SubspaceID: c.Receiver(), Path: p, Timestamp: ts,
		PayloadLength: uint64(n), PayloadDigest: ids.PayloadDigest(h.Digest())}
	token, err := meadowcap.Authorise(e, c, author)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	ae, err := meadowcap.NewAuthorisedEntry(e, token)
	if err != nil {
		return err
	}
	return dw.Add(ae, filePayload{f: f, length: uint64(n)})
}

// filePayload is a drop.Payload of a whole file: its 64-grouped full-slice
// stream is the raw bytes, copied without buffering the file.
type filePayload struct {
	f      *os.File
	length uint64
}

func (p filePayload) Slices() ([]bab.Slice, error) { return []bab.Slice{bab.FullSlice(p.length)}, nil }

func (p filePayload) WriteSliceStream(w io.Writer, s bab.Slice, o bab.Options) error {
	if s != bab.FullSlice(p.length) || o.K < bab.GroupedAll || o.LeftSkip != 0 || o.RightSkip != 0 {
		return fmt.Errorf("file payload: only the whole 64-grouped stream is available")
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(w, p.f)
	if err == nil && uint64(n) != p.length {
		err = fmt.Errorf("file changed while making the drop (%d bytes, was %d)", n, p.length)
	}
	return err
}

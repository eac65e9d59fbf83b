package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal"
	"github.com/willow-web/willow-web/seal/agekey"
)

func envOK(t *testing.T, vars map[string]string, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := invokeEnv(t, vars, stdin, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("willow %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out
}

// envFails requires exit 1, no stdout and one line on stderr containing
// want.
func envFails(t *testing.T, vars map[string]string, want string, args ...string) {
	t.Helper()
	out, errOut, code := invokeEnv(t, vars, "", args...)
	if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, want) {
		t.Errorf("willow %s: exit %d, stdout %.40q, stderr %q; want failure mentioning %q", strings.Join(args, " "), code, out, errOut, want)
	}
}

// sealFixture is a directory of files to drop, an author and a namespace.
type sealFixture struct {
	dir, author, namespace string
}

func newSealFixture(t *testing.T) sealFixture {
	t.Helper()
	dir := t.TempDir()
	big := make([]byte, 150<<10) // three age chunks
	rand.Read(big)
	for name, content := range map[string][]byte{"a.txt": []byte("hello"), "sub/big.bin": big} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, author := keygen(t, "subspace")
	ns, _ := keygen(t, "communal")
	return sealFixture{dir, author, ns}
}

// create runs drop create with extra flags into a new file and returns its
// path.
func (f sealFixture) create(t *testing.T, vars map[string]string, flags ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "d.drop")
	args := append([]string{"drop", "create", "--subspace-secret", f.author, "--namespace", f.namespace, "--timestamp", "7", "-o", out}, flags...)
	envOK(t, vars, "", append(args, f.dir)...)
	return out
}

type ageKeygen struct {
	Public, Secret string
	AgeRecipient   string `json:"age_recipient"`
	AgeIdentity    string `json:"age_identity"`
}

func keygenAge(t *testing.T) ageKeygen {
	t.Helper()
	var k ageKeygen
	if err := json.Unmarshal([]byte(encOK(t, "", "keygen", "subspace", "--age")), &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDropSealedByRecipients(t *testing.T) {
	f := newSealFixture(t)
	plain := readFile(t, f.create(t, nil, "--plaintext"))
	betty, carol := keygenAge(t), keygenAge(t)
	x, _ := age.GenerateX25519Identity()
	xFile := writeTemp(t, "x.txt", []byte(x.String()+"\n"))
	carolFile := writeTemp(t, "carol.txt", []byte(encOK(t, "", "age", "--subspace-secret", carol.Secret)))

	sealedPath := f.create(t, nil, "--to-subspace", betty.Public, "--to", x.Recipient().String(), "--to", carol.AgeRecipient)
	sealed := readFile(t, sealedPath)
	if !bytes.HasPrefix(sealed, []byte(seal.Magic)) {
		t.Fatalf("drop create with recipients wrote %.30q", sealed)
	}
	wantVerify := envOK(t, nil, string(plain), "drop", "verify", "-")
	wantInspect := envOK(t, nil, string(plain), "drop", "inspect", "-")
	for _, opener := range [][]string{
		{"--subspace-secret", betty.Secret},
		{"--identity", xFile},
		{"--identity", carolFile},
		{"--subspace-secret", carol.Secret},
		{"--identity", xFile, "--subspace-secret", betty.Secret},
	} {
		if got := envOK(t, nil, "", append(append([]string{"drop", "open"}, opener...), sealedPath)...); got != string(plain) {
			t.Fatalf("drop open %v: plaintext differs", opener)
		}
		if got := envOK(t, nil, string(sealed), append(append([]string{"drop", "verify"}, opener...), "-")...); got != wantVerify {
			t.Errorf("drop verify %v of the sealed drop: %q, want %q", opener, got, wantVerify)
		}
		if got := envOK(t, nil, "", append(append([]string{"drop", "inspect"}, opener...), sealedPath)...); got != wantInspect {
			t.Errorf("drop inspect %v of the sealed drop differs from the plaintext's", opener)
		}
	}
	// drop open -o writes the file.
	out := filepath.Join(t.TempDir(), "plain.drop")
	envOK(t, nil, "", "drop", "open", "--subspace-secret", betty.Secret, "-o", out, sealedPath)
	if !bytes.Equal(readFile(t, out), plain) {
		t.Fatal("drop open -o: plaintext differs")
	}
	// Identities given for a plaintext drop are not needed and do no harm.
	envOK(t, nil, "", "drop", "verify", "--subspace-secret", betty.Secret, f.create(t, nil))

	// Refusals.
	stranger := keygenAge(t)
	envFails(t, nil, "is a sealed drop: give --identity", "drop", "verify", sealedPath)
	envFails(t, nil, "is a sealed drop: give --identity", "drop", "inspect", sealedPath)
	envFails(t, nil, "no identity matches", "drop", "open", "--subspace-secret", stranger.Secret, sealedPath)
	envFails(t, nil, "no identity matches", "drop", "verify", "--subspace-secret", stranger.Secret, sealedPath)
	envFails(t, nil, "not a sealed drop", "drop", "open", "--subspace-secret", betty.Secret, f.create(t, nil))
	envFails(t, nil, "--identity", "drop", "open", "--identity", filepath.Join(t.TempDir(), "missing"), sealedPath)
	envFails(t, nil, "--subspace-secret", "drop", "open", "--subspace-secret", "abc", sealedPath)
	for at, want := range map[int]string{len(sealed) - 20: "tampered", 60: "", len(sealed) / 2: "tampered"} {
		bad := bytes.Clone(sealed)
		bad[at] ^= 0x10
		p := writeTemp(t, "bad.drop", bad)
		envFails(t, nil, want, "drop", "verify", "--subspace-secret", betty.Secret, p)
		out := filepath.Join(t.TempDir(), "half.drop")
		envFails(t, nil, want, "drop", "open", "--subspace-secret", betty.Secret, "-o", out, p)
		if _, err := os.Stat(out); err == nil {
			t.Errorf("drop open -o left a partial plaintext after a failure at byte %d", at)
		}
	}
	p := writeTemp(t, "short.drop", sealed[:len(sealed)-70000])
	envFails(t, nil, "", "drop", "verify", "--subspace-secret", betty.Secret, p)
}

func TestDropSealedByPassphrase(t *testing.T) {
	f := newSealFixture(t)
	plain := readFile(t, f.create(t, nil))
	vars := map[string]string{"WILLOW_PASSPHRASE": "correct horse", "WILLOW_PASSPHRASE_WORK_FACTOR": "10"}
	sealedPath := f.create(t, vars, "--passphrase")
	if sealed := readFile(t, sealedPath); !bytes.Contains(sealed[:100], []byte("-> scrypt ")) {
		t.Fatalf("passphrase-sealed drop: %.80q", sealed)
	}
	passFile := writeTemp(t, "pass", []byte("correct horse\n"))
	if got := envOK(t, vars, "", "drop", "open", "--passphrase", sealedPath); got != string(plain) {
		t.Fatal("drop open --passphrase: plaintext differs")
	}
	if got := envOK(t, nil, "", "drop", "open", "--passphrase-file", passFile, sealedPath); got != string(plain) {
		t.Fatal("drop open --passphrase-file: plaintext differs")
	}
	envOK(t, nil, "", "drop", "verify", "--passphrase-file", passFile, sealedPath)
	// Sealed with a passphrase file, opened with the environment.
	sealed2 := f.create(t, map[string]string{"WILLOW_PASSPHRASE_WORK_FACTOR": "10"}, "--passphrase-file", passFile)
	envOK(t, vars, "", "drop", "verify", "--passphrase", sealed2)

	wrong := map[string]string{"WILLOW_PASSPHRASE": "incorrect horse"}
	envFails(t, wrong, "wrong passphrase", "drop", "open", "--passphrase", sealedPath)
	envFails(t, wrong, "wrong passphrase", "drop", "inspect", "--passphrase", sealedPath)
	_, betty := keygen(t, "subspace")
	envFails(t, nil, "sealed with a passphrase", "drop", "open", "--subspace-secret", betty, sealedPath)
	envFails(t, nil, "WILLOW_PASSPHRASE is not set", "drop", "open", "--passphrase", sealedPath)
	envFails(t, vars, "exclude each other", "drop", "open", "--passphrase", "--passphrase-file", passFile, sealedPath)
	envFails(t, nil, "empty passphrase", "drop", "open", "--passphrase-file", writeTemp(t, "empty", []byte("\n")), sealedPath)
}

func TestDropCreateSealFlags(t *testing.T) {
	f := newSealFixture(t)
	// Plaintext only when asked for, or (compatibility) when no recipient
	// is given; both write the same bytes.
	explicit := readFile(t, f.create(t, nil, "--plaintext"))
	implicit := readFile(t, f.create(t, nil))
	if !bytes.Equal(explicit, implicit) || seal.IsSealed(explicit) {
		t.Fatal("--plaintext and no recipients differ, or are sealed")
	}
	betty := keygenAge(t)
	vars := map[string]string{"WILLOW_PASSPHRASE": "p", "WILLOW_PASSPHRASE_WORK_FACTOR": "99"}
	base := []string{"drop", "create", "--subspace-secret", f.author, "--namespace", f.namespace, "-o", filepath.Join(t.TempDir(), "x")}
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--plaintext", "--to-subspace", betty.Public}, "--plaintext contradicts"},
		{[]string{"--plaintext", "--passphrase"}, "--plaintext contradicts"},
		{[]string{"--to", betty.AgeIdentity}, "--to"},
		{[]string{"--to", "age1qqqq"}, "--to"},
		{[]string{"--to-subspace", "zz"}, "--to-subspace"},
		{[]string{"--to-subspace", "0100000000000000000000000000000000000000000000000000000000000000"}, "not a usable encryption key"},
		{[]string{"--passphrase", "--to-subspace", betty.Public}, "only recipient"},
		{[]string{"--passphrase"}, "WILLOW_PASSPHRASE_WORK_FACTOR"},
	} {
		envFails(t, vars, c.want, append(append(base, c.flags...), f.dir)...)
	}
	envFails(t, nil, "WILLOW_PASSPHRASE is not set", append(base, "--passphrase", f.dir)...)
	// Sealing to stdout.
	out := envOK(t, nil, "", "drop", "create", "--subspace-secret", f.author, "--namespace", f.namespace, "--to-subspace", betty.Public, f.dir)
	if got := envOK(t, nil, out, "drop", "verify", "--subspace-secret", betty.Secret, "-"); !strings.HasPrefix(got, "valid drop: 2 items") {
		t.Fatalf("sealed to stdout, verified from stdin: %q", got)
	}
}

func TestAgeKeys(t *testing.T) {
	k := keygenAge(t)
	id, err := ids.ParseSubspaceID(k.Public)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := agekey.RecipientString(id); k.AgeRecipient != want || !strings.HasPrefix(want, "age1") {
		t.Fatalf("keygen --age recipient %q, want %q", k.AgeRecipient, want)
	}
	i, err := age.ParseX25519Identity(k.AgeIdentity)
	if err != nil || i.Recipient().String() != k.AgeRecipient {
		t.Fatalf("keygen --age identity does not match its recipient: %v", err)
	}
	if got := encOK(t, "", "age", k.Public); got != k.AgeRecipient+"\n" {
		t.Errorf("age %s = %q, want %q", k.Public, got, k.AgeRecipient)
	}
	file := encOK(t, "", "age", "--subspace-secret", k.Secret)
	parsed, err := age.ParseIdentities(strings.NewReader(file))
	if err != nil || len(parsed) != 1 || parsed[0].(*age.X25519Identity).String() != k.AgeIdentity {
		t.Fatalf("age --subspace-secret printed %q: %v", file, err)
	}
	if !strings.Contains(file, "# public key: "+k.AgeRecipient+"\n") {
		t.Errorf("identity file lacks the public key comment: %q", file)
	}
	for _, args := range [][]string{
		{"keygen", "communal", "--age"}, {"keygen", "--age", "subspace"}, {"keygen", "subspace", "--age", "x"},
		{"age"}, {"age", "zz"}, {"age", k.Public, "--subspace-secret", k.Secret}, {"age", "--subspace-secret", "12"},
		{"age", "0200000000000000000000000000000000000000000000000000000000000000"},
	} {
		encFails(t, "", args...)
	}
}

// TestStockAgeOpensCLIDrops: a drop sealed by willow drop create
// --to-subspace opens with the stock age CLI and the identity file of
// willow age --subspace-secret, and a drop sealed by age -r (the recipient
// of willow age) verifies with willow drop verify --subspace-secret.
func TestStockAgeOpensCLIDrops(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "age")
	if out, err := exec.Command("go", "build", "-o", bin, "filippo.io/age/cmd/age").CombinedOutput(); err != nil {
		msg := "SKIPPING the stock age CLI test: cannot build filippo.io/age/cmd/age: " + err.Error() + "\n" + string(out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	f := newSealFixture(t)
	plain := readFile(t, f.create(t, nil))
	betty := keygenAge(t)
	identityFile := writeTemp(t, "betty.txt", []byte(encOK(t, "", "age", "--subspace-secret", betty.Secret)))
	got, err := exec.Command(bin, "-d", "-i", identityFile, f.create(t, nil, "--to-subspace", betty.Public)).Output()
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("age -d of a drop from willow drop create --to-subspace: %v", err)
	}
	recipient := strings.TrimSpace(encOK(t, "", "age", betty.Public))
	cmd := exec.Command(bin, "-e", "-r", recipient)
	cmd.Stdin = bytes.NewReader(plain)
	sealed, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := envOK(t, nil, string(sealed), "drop", "verify", "--subspace-secret", betty.Secret, "-"); !strings.HasPrefix(got, "valid drop: 2 items") {
		t.Fatalf("willow drop verify of age -r output: %q", got)
	}
}

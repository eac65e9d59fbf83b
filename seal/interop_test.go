package seal_test

import (
	"bytes"
	"crypto/rand"
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

// stockAge builds the age command line and its batchpass plugin (go.mod
// tools, so their sources are in the module cache) into a temporary
// directory. Without a Go toolchain or the sources it skips loudly, and
// fails when $CI is set.
func stockAge(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	for _, cmd := range []string{"age", "age-plugin-batchpass"} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "filippo.io/age/cmd/"+cmd).CombinedOutput()
		if err != nil {
			msg := "SKIPPING the interoperability tests with the stock age CLI: cannot build " + cmd + ": " + err.Error() + "\n" + string(out)
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	return dir
}

// runAge runs the stock age with stdin and extra environment and returns
// its standard output.
func runAge(t *testing.T, bin string, stdin []byte, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "age"), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("age %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStockAgeInterop(t *testing.T) {
	bin := stockAge(t)
	plain := testDrop(t)
	x, _ := age.GenerateX25519Identity()
	id, sk, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	betty, _ := seal.SubspaceRecipient(id)
	bettyID, _ := seal.SubspaceIdentity(sk)
	bettyRecipient, _ := agekey.RecipientString(id)
	// An identity file as age-keygen writes it: comments and the key.
	bettyFile := writeFile(t, "betty.txt", "# willow subspace "+id.String()+"\n# public key: "+bettyRecipient+"\n"+agekey.IdentityString(sk)+"\n")
	xFile := writeFile(t, "x.txt", x.String()+"\n")

	t.Run("ours to age -d -i", func(t *testing.T) {
		sealed := sealBytes(t, plain, x.Recipient(), betty)
		for _, f := range []string{xFile, bettyFile} {
			if got := runAge(t, bin, sealed, nil, "-d", "-i", f); !bytes.Equal(got, plain) {
				t.Fatalf("age -d -i %s: plaintext differs", filepath.Base(f))
			}
		}
	})
	t.Run("age -r to ours", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			id   age.Identity
		}{
			{[]string{"-r", x.Recipient().String()}, x},
			{[]string{"-r", bettyRecipient}, bettyID},
			{[]string{"-r", x.Recipient().String(), "-r", bettyRecipient}, bettyID},
			{[]string{"-a", "-r", bettyRecipient}, bettyID}, // armored
			{[]string{"-R", writeFile(t, "recipients.txt", bettyRecipient+"\n")}, bettyID},
		} {
			sealed := runAge(t, bin, plain, nil, append([]string{"-e"}, c.args...)...)
			got, err := openAll(sealed, c.id)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("age -e %s, opened by us: %v", strings.Join(c.args, " "), err)
			}
		}
	})
	t.Run("hybrid post-quantum", func(t *testing.T) {
		pq, err := age.GenerateHybridIdentity()
		if err != nil {
			t.Fatal(err)
		}
		sealed := runAge(t, bin, plain, nil, "-e", "-r", pq.Recipient().String())
		if got, err := openAll(sealed, pq); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("age -r age1pq1…, opened by us: %v", err)
		}
		ours := sealBytes(t, plain, pq.Recipient())
		if got := runAge(t, bin, ours, nil, "-d", "-i", writeFile(t, "pq.txt", pq.String()+"\n")); !bytes.Equal(got, plain) {
			t.Fatal("ours to age1pq1…, opened by age: plaintext differs")
		}
	})
	// The stock CLI reads passphrases from the terminal; its batchpass
	// plugin (shipped with age since v1.3) takes them from $AGE_PASSPHRASE
	// and writes and reads standard scrypt stanzas.
	t.Run("passphrase via age-plugin-batchpass", func(t *testing.T) {
		env := []string{"AGE_PASSPHRASE=correct horse battery staple", "AGE_PASSPHRASE_WORK_FACTOR=10"}
		sealed := runAge(t, bin, plain, env, "-e", "-j", "batchpass")
		if !bytes.Contains(sealed[:200], []byte("\n-> scrypt ")) {
			t.Fatalf("batchpass did not write a scrypt stanza: %.120q", sealed)
		}
		if got, err := openAll(sealed, scryptIdentity(t, "correct horse battery staple")); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("age -j batchpass, opened by us: %v", err)
		}
		ours := sealBytes(t, plain, fastScrypt(t, "correct horse battery staple"))
		if got := runAge(t, bin, ours, env, "-d", "-j", "batchpass"); !bytes.Equal(got, plain) {
			t.Fatal("ours, opened by age -d -j batchpass: plaintext differs")
		}
	})
	t.Run("age refuses what we refuse", func(t *testing.T) {
		sealed := sealBytes(t, plain, betty)
		sealed[len(sealed)-3] ^= 1
		cmd := exec.Command(filepath.Join(bin, "age"), "-d", "-i", bettyFile)
		cmd.Stdin = bytes.NewReader(sealed)
		if err := cmd.Run(); err == nil {
			t.Fatal("stock age opened a tampered drop")
		}
		if _, err := openAll(sealed, bettyID); err == nil {
			t.Fatal("we opened a tampered drop")
		}
	})
}

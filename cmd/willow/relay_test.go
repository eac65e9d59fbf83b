package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/relay"
)

// relayServer runs the relay handler with memory backends.
func relayServer(t *testing.T) (*httptest.Server, *relay.MemoryBlobs) {
	t.Helper()
	blobs := &relay.MemoryBlobs{}
	h, err := relay.New(relay.Config{Blobs: blobs, Index: &relay.MemoryIndex{}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, blobs
}

// makeTestDrop writes a plaintext drop of two files by the author's secret
// and returns its path.
func makeTestDrop(t *testing.T, authorSecret string, nsFlags ...string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"a.txt": "hello relay", "b.bin": strings.Repeat("y", 5000)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "d.drop")
	encOK(t, "", append(append([]string{"drop", "create", "--subspace-secret", authorSecret, "--path-prefix", "/r", "-o", out}, nsFlags...), dir)...)
	return out
}

func TestRelayPushListPullDelete(t *testing.T) {
	srv, blobs := relayServer(t)
	_, alice := keygen(t, "subspace")
	_, bob := keygen(t, "subspace")
	communal, _ := keygen(t, "communal")
	ownedID, ownedSecret := keygen(t, "owned")
	for name, nsFlags := range map[string][]string{
		"communal": {"--namespace", communal},
		"owned":    {"--namespace-secret", ownedSecret},
	} {
		t.Run(name, func(t *testing.T) {
			file := makeTestDrop(t, alice, nsFlags...)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			auth := append([]string{"--url", srv.URL, "--secret", alice}, nsFlags...)

			var up relay.UploadResponse
			if err := json.Unmarshal([]byte(encOK(t, "", append(append([]string{"relay", "push"}, auth...), file)...)), &up); err != nil {
				t.Fatal(err)
			}
			if !up.Created || up.Size != int64(len(data)) {
				t.Fatalf("push answer %+v", up)
			}
			// The same bytes from stdin: stored once.
			if err := json.Unmarshal([]byte(encOK(t, string(data), append(append([]string{"relay", "push"}, auth...), "-")...)), &up); err != nil || up.Created {
				t.Fatalf("second push %+v %v", up, err)
			}

			lines := strings.Split(strings.TrimSpace(encOK(t, "", append([]string{"relay", "list"}, auth...)...)), "\n")
			var rec relay.Record
			if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &rec) != nil || rec.ID != up.ID {
				t.Fatalf("list %q", lines)
			}

			// Flags after the id work too.
			out := filepath.Join(t.TempDir(), "pulled.drop")
			encOK(t, "", append(append([]string{"relay", "pull"}, auth...), up.ID, "-o", out)...)
			got, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("pulled bytes differ (%v)", err)
			}
			if got := encOK(t, "", append(append([]string{"relay", "pull"}, auth...), up.ID)...); got != string(data) {
				t.Fatal("pulled bytes on stdout differ")
			}

			// Bob may read but not delete alice's drop.
			bobAuth := append([]string{"--url", srv.URL, "--secret", bob}, nsFlags...)
			encOK(t, "", append(append([]string{"relay", "pull"}, bobAuth...), up.ID)...)
			if msg := encFails(t, "", append(append([]string{"relay", "delete"}, bobAuth...), up.ID)...); !strings.Contains(msg, "not_uploader") {
				t.Fatalf("bob's delete: %q", msg)
			}
			if got := encOK(t, "", append(append([]string{"relay", "delete"}, auth...), up.ID)...); got != "deleted "+up.ID+"\n" {
				t.Fatalf("delete printed %q", got)
			}
			if got := encOK(t, "", append([]string{"relay", "list"}, auth...)...); got != "" {
				t.Fatalf("list after delete %q", got)
			}
			if msg := encFails(t, "", append(append([]string{"relay", "pull"}, auth...), up.ID)...); !strings.Contains(msg, "404 not_found") {
				t.Fatalf("pull after delete: %q", msg)
			}
		})
	}
	if blobs.Len() != 0 {
		t.Fatalf("%d blobs left", blobs.Len())
	}

	// A capability given as hex, and in a file: alice's owned write capability.
	var sk ids.SecretKey
	b, _ := hex.DecodeString(alice)
	copy(sk[:], b)
	var nsk ids.SecretKey
	b, _ = hex.DecodeString(ownedSecret)
	copy(nsk[:], b)
	c, err := meadowcap.NewOwned(meadowcap.Write, nsk, ids.SubspaceID(sk.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := meadowcap.EncodeMcCapability(c)
	if err != nil {
		t.Fatal(err)
	}
	capFile := filepath.Join(t.TempDir(), "cap.hex")
	if err := os.WriteFile(capFile, []byte(hex.EncodeToString(enc)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := makeTestDrop(t, alice, "--namespace-secret", ownedSecret)
	for _, capArg := range []string{hex.EncodeToString(enc), capFile} {
		out := encOK(t, "", "relay", "push", "--url", srv.URL, "--secret", alice, "--namespace", ownedID, "--capability", capArg, file)
		if !strings.Contains(out, `"uploader":"`+c.Receiver().String()+`"`) {
			t.Fatalf("push with --capability: %s", out)
		}
	}
	// The write capability cannot list.
	if msg := encFails(t, "", "relay", "list", "--url", srv.URL, "--secret", alice, "--capability", capFile); !strings.Contains(msg, "needs read") {
		t.Fatalf("list with a write capability: %q", msg)
	}
}

func TestRelayRefusals(t *testing.T) {
	srv, _ := relayServer(t)
	_, alice := keygen(t, "subspace")
	_, bob := keygen(t, "subspace")
	communal, _ := keygen(t, "communal")
	owned, _ := keygen(t, "owned")
	file := makeTestDrop(t, alice, "--namespace", communal)
	auth := []string{"--url", srv.URL, "--secret", alice, "--namespace", communal}
	id := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"relay"}, "want a subcommand"},
		{[]string{"relay", "sync"}, "unknown subcommand"},
		{[]string{"relay", "list", "--secret", alice, "--namespace", communal}, "need --url"},
		{[]string{"relay", "list", "--url", "ftp://x", "--secret", alice, "--namespace", communal}, "http or https"},
		{[]string{"relay", "list", "--url", srv.URL, "--namespace", communal}, "need --secret"},
		{[]string{"relay", "list", "--url", srv.URL, "--secret", "zz", "--namespace", communal}, "--secret"},
		{[]string{"relay", "list", "--url", srv.URL, "--secret", alice}, "need --namespace"},
		{[]string{"relay", "list", "--url", srv.URL, "--secret", alice, "--namespace", owned}, "is owned"},
		{[]string{"relay", "list", "--url", srv.URL, "--secret", alice, "--capability", "00ff"}, "--capability"},
		{[]string{"relay", "list", "--url", srv.URL, "--secret", alice, "--capability", "/no/such/file"}, "neither hex nor a readable file"},
		{append([]string{"relay", "list"}, append(auth, "extra")...), "no arguments"},
		{append([]string{"relay", "pull"}, auth...), "one drop id"},
		{append([]string{"relay", "pull"}, append(auth, "xyz")...), "64 hex digits"},
		{append([]string{"relay", "delete"}, auth...), "one drop id"},
		{append([]string{"relay", "list", "-o", "x"}, auth...), "pull only"},
		{append([]string{"relay", "push"}, append(auth, file, file)...), "one drop file"},
		{append([]string{"relay", "push"}, append(auth, "/no/such.drop")...), "reading the drop"},
		{append([]string{"relay", "pull"}, append(auth, id)...), "404 not_found"},
		// Bob's capability does not cover alice's entries.
		{[]string{"relay", "push", "--url", srv.URL, "--secret", bob, "--namespace", communal, file}, "403 entry_outside_area"},
		// Not a drop.
		{append([]string{"relay", "push"}, append(auth, "-")...), "422"},
		// Nothing listens there.
		{[]string{"relay", "list", "--url", "http://127.0.0.1:1", "--secret", alice, "--namespace", communal}, "127.0.0.1:1"},
	} {
		stdin := ""
		if tc.args[len(tc.args)-1] == "-" {
			stdin = "not a drop"
		}
		if msg := encFails(t, stdin, tc.args...); !strings.Contains(msg, tc.want) {
			t.Errorf("willow %s: %q, want it to mention %q", strings.Join(tc.args, " "), msg, tc.want)
		}
	}
}

func TestRelayPullChecksTheID(t *testing.T) {
	// A relay that answers every request with other bytes.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("not the drop you asked for"))
	}))
	t.Cleanup(srv.Close)
	_, alice := keygen(t, "subspace")
	communal, _ := keygen(t, "communal")
	out := filepath.Join(t.TempDir(), "pulled.drop")
	msg := encFails(t, "", "relay", "pull", "--url", srv.URL, "--secret", alice, "--namespace", communal, "-o", out, strings.Repeat("ab", 32))
	if !strings.Contains(msg, "nothing written") {
		t.Fatalf("pull of other bytes: %q", msg)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("pull wrote %s despite the mismatch", out)
	}
}

package relay

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

type user struct {
	id     ids.SubspaceID
	secret ids.SecretKey
}

func newUser(t testing.TB) user {
	t.Helper()
	id, sk, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return user{id, sk}
}

type fixture struct {
	t      *testing.T
	h      *Handler
	blobs  *MemoryBlobs
	index  *MemoryIndex
	ns     ids.NamespaceID
	alice  user
	bob    user
	aliceW meadowcap.Capability
	aliceR meadowcap.Capability
	bobW   meadowcap.Capability
	bobR   meadowcap.Capability
	n      int // requests signed so far (each gets its own timestamp)
}

func newFixture(t *testing.T, mod func(*Config)) *fixture {
	t.Helper()
	ns, _, err := ids.GenerateCommunalNamespace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, blobs: &MemoryBlobs{}, index: &MemoryIndex{}, ns: ns, alice: newUser(t), bob: newUser(t)}
	f.aliceW = mustCap(t, meadowcap.Write, ns, f.alice.id)
	f.aliceR = mustCap(t, meadowcap.Read, ns, f.alice.id)
	f.bobW = mustCap(t, meadowcap.Write, ns, f.bob.id)
	f.bobR = mustCap(t, meadowcap.Read, ns, f.bob.id)
	cfg := Config{Blobs: f.blobs, Index: f.index, Now: func() time.Time { return testNow }}
	if mod != nil {
		mod(&cfg)
	}
	if f.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustCap(t testing.TB, mode meadowcap.AccessMode, ns ids.NamespaceID, u ids.SubspaceID) meadowcap.Capability {
	t.Helper()
	c, err := meadowcap.NewCommunal(mode, ns, u)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// makeDrop returns a drop of one authorised entry per payload, by u under c.
func makeDrop(t testing.TB, ns ids.NamespaceID, u user, c meadowcap.Capability, prefix string, payloads ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := drop.NewWriter(&buf)
	for i, p := range payloads {
		e := entry.Entry{NamespaceID: ns, SubspaceID: u.id, Path: path.MustFromStrings(prefix, strconv.Itoa(i)),
			Timestamp: entry.Timestamp(1000 + i), PayloadLength: uint64(len(p)), PayloadDigest: ids.PayloadDigest(bab.Sum([]byte(p)))}
		tok, err := meadowcap.Authorise(e, c, u.secret)
		if err != nil {
			t.Fatal(err)
		}
		ae, err := meadowcap.NewAuthorisedEntry(e, tok)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(ae, drop.BytesPayload{Data: []byte(p)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (f *fixture) nsPath() string { return "/v1/namespaces/" + f.ns.String() + "/drops" }

// do sends a request signed for c by u at time at (zero: a timestamp within
// the window of testNow that no earlier request of f used, so that requests
// meant to be new are not refused as replays).
func (f *fixture) do(method, target string, body []byte, c *meadowcap.Capability, u user, at time.Time) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if c != nil {
		if at.IsZero() {
			at = testNow.Add(time.Duration(f.n%500-250) * time.Second)
			f.n++
		}
		if err := SignRequest(r, body, *c, u.secret, at); err != nil {
			f.t.Fatal(err)
		}
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func (f *fixture) upload(body []byte, c meadowcap.Capability, u user) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(http.MethodPut, f.nsPath(), body, &c, u, time.Time{})
}

func wantCode(t *testing.T, w *httptest.ResponseRecorder, status int, code Code) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if code == "" {
		return
	}
	var b errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	if b.Error.Code != code {
		t.Fatalf("code %q, want %q (%s)", b.Error.Code, code, b.Error.Message)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error Content-Type %q", ct)
	}
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	return v
}

func TestUploadListDownloadDelete(t *testing.T) {
	f := newFixture(t, nil)
	d := makeDrop(t, f.ns, f.alice, f.aliceW, "blog", "hello", "world", "")
	w := f.upload(d, f.aliceW, f.alice)
	wantCode(t, w, http.StatusCreated, "")
	up := decode[UploadResponse](t, w)
	id := ids.PayloadDigest(bab.Sum(d)).String()
	if !up.Created || up.ID != id || up.Size != int64(len(d)) || up.Uploader != f.alice.id.String() || up.Sealed || up.Time != testNow.UnixMilli() {
		t.Fatalf("upload response %+v", up)
	}
	if loc := w.Header().Get("Location"); loc != f.nsPath()+"/"+id {
		t.Fatalf("Location %q", loc)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Fatalf("CORS origin %q", got)
	}

	w = f.do(http.MethodGet, f.nsPath(), nil, &f.bobR, f.bob, time.Time{})
	wantCode(t, w, http.StatusOK, "")
	list := decode[ListResponse](t, w)
	if len(list.Drops) != 1 || list.Drops[0] != up.Record || list.Next != "" {
		t.Fatalf("list %+v", list)
	}

	w = f.do(http.MethodGet, f.nsPath()+"/"+id, nil, &f.bobR, f.bob, time.Time{})
	wantCode(t, w, http.StatusOK, "")
	if !bytes.Equal(w.Body.Bytes(), d) {
		t.Fatal("downloaded bytes differ")
	}
	if w.Header().Get("Content-Length") != strconv.Itoa(len(d)) || w.Header().Get("ETag") != `"`+id+`"` {
		t.Fatalf("download headers %v", w.Header())
	}

	// Only the uploader deletes.
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.bobW, f.bob, time.Time{}), http.StatusForbidden, CodeNotUploader)
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.aliceR, f.alice, time.Time{}), http.StatusForbidden, CodeWrongAccessMode)
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.aliceW, f.alice, time.Time{}), http.StatusNoContent, "")
	wantCode(t, f.do(http.MethodGet, f.nsPath()+"/"+id, nil, &f.bobR, f.bob, time.Time{}), http.StatusNotFound, CodeNotFound)
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.aliceW, f.alice, time.Time{}), http.StatusNotFound, CodeNotFound)
	if f.blobs.Len() != 0 {
		t.Fatal("blob left after delete")
	}
}

func TestDedup(t *testing.T) {
	f := newFixture(t, nil)
	d := makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x")
	wantCode(t, f.upload(d, f.aliceW, f.alice), http.StatusCreated, "")
	// The same bytes in a new signed request: no new drop.
	w := f.upload(d, f.aliceW, f.alice)
	wantCode(t, w, http.StatusOK, "")
	if up := decode[UploadResponse](t, w); up.Created || up.Uploader != f.alice.id.String() {
		t.Fatalf("second upload %+v", up)
	}
	// Another uploader sending the same bytes (authorised entries of alice,
	// but bob's area does not include them) is refused, not merged.
	wantCode(t, f.upload(d, f.bobW, f.bob), http.StatusForbidden, CodeEntryOutsideArea)
	if f.blobs.Len() != 1 {
		t.Fatalf("%d blobs", f.blobs.Len())
	}
}

func TestSealedDropStoredOpaque(t *testing.T) {
	f := newFixture(t, nil)
	for _, body := range [][]byte{
		[]byte("age-encryption.org/v1\n-> X25519 garbage that the relay cannot and does not read\n"),
		[]byte("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"),
	} {
		w := f.upload(body, f.bobW, f.bob)
		wantCode(t, w, http.StatusCreated, "")
		up := decode[UploadResponse](t, w)
		if !up.Sealed {
			t.Fatalf("not marked sealed: %+v", up)
		}
		w = f.do(http.MethodGet, f.nsPath()+"/"+up.ID, nil, &f.aliceR, f.alice, time.Time{})
		wantCode(t, w, http.StatusOK, "")
		if !bytes.Equal(w.Body.Bytes(), body) {
			t.Fatal("sealed bytes differ")
		}
	}
	// A sealed upload still needs a write capability.
	wantCode(t, f.upload([]byte("age-encryption.org/v1\n"), f.bobR, f.bob), http.StatusForbidden, CodeWrongAccessMode)
}

func TestAuthRefusals(t *testing.T) {
	f := newFixture(t, nil)
	d := makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x")
	otherNS, _, _ := ids.GenerateCommunalNamespace(rand.Reader)
	otherW := mustCap(t, meadowcap.Write, otherNS, f.alice.id)
	ownedNS, _, _ := ids.GenerateOwnedNamespace(rand.Reader)
	forged := meadowcap.NewUncheckedOwned(meadowcap.Write, ownedNS, f.alice.id, ids.Signature{1, 2, 3}, nil)
	// A delegation whose signature is not the receiver's.
	forgedDeleg := meadowcap.NewUncheckedCommunal(meadowcap.Write, f.ns, f.alice.id,
		[]meadowcap.Delegation{meadowcap.NewDelegation(grouping.SubspaceArea(f.alice.id), f.bob.id, ids.Signature{9})})

	t.Run("forged owned capability", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPut, "/v1/namespaces/"+ownedNS.String()+"/drops", bytes.NewReader(d))
		if err := SignRequest(r, d, forged, f.alice.secret, testNow); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		wantCode(t, w, http.StatusUnauthorized, CodeInvalidCapability)
	})
	t.Run("forged delegation", func(t *testing.T) {
		wantCode(t, f.upload(d, forgedDeleg, f.bob), http.StatusUnauthorized, CodeInvalidCapability)
	})
	t.Run("expired", func(t *testing.T) {
		wantCode(t, f.do(http.MethodPut, f.nsPath(), d, &f.aliceW, f.alice, testNow.Add(-6*time.Minute)), http.StatusUnauthorized, CodeStaleTimestamp)
		wantCode(t, f.do(http.MethodPut, f.nsPath(), d, &f.aliceW, f.alice, testNow.Add(6*time.Minute)), http.StatusUnauthorized, CodeStaleTimestamp)
		wantCode(t, f.do(http.MethodPut, f.nsPath(), d, &f.aliceW, f.alice, testNow.Add(-4*time.Minute)), http.StatusCreated, "")
	})
	t.Run("wrong namespace", func(t *testing.T) {
		wantCode(t, f.upload(d, otherW, f.alice), http.StatusForbidden, CodeWrongNamespace)
		otherR := mustCap(t, meadowcap.Read, otherNS, f.alice.id)
		wantCode(t, f.do(http.MethodGet, f.nsPath(), nil, &otherR, f.alice, time.Time{}), http.StatusForbidden, CodeWrongNamespace)
	})
	t.Run("wrong mode", func(t *testing.T) {
		wantCode(t, f.upload(d, f.aliceR, f.alice), http.StatusForbidden, CodeWrongAccessMode)
		wantCode(t, f.do(http.MethodGet, f.nsPath(), nil, &f.aliceW, f.alice, time.Time{}), http.StatusForbidden, CodeWrongAccessMode)
		id := ids.PayloadDigest(bab.Sum(d)).String()
		wantCode(t, f.do(http.MethodGet, f.nsPath()+"/"+id, nil, &f.aliceW, f.alice, time.Time{}), http.StatusForbidden, CodeWrongAccessMode)
	})
	t.Run("signature by someone else", func(t *testing.T) {
		wantCode(t, f.upload(d, f.aliceW, f.bob), http.StatusUnauthorized, CodeBadSignature)
	})
	t.Run("body changed after signing", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPut, f.nsPath(), bytes.NewReader(d))
		if err := SignRequest(r, append(bytes.Clone(d), 0), f.aliceW, f.alice.secret, testNow); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		wantCode(t, w, http.StatusUnauthorized, CodeBadSignature)
	})
	t.Run("signature for another path or method", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, f.nsPath()+"?limit=5", nil)
		if err := SignRequest(r, nil, f.aliceR, f.alice.secret, testNow); err != nil {
			t.Fatal(err)
		}
		r.URL.RawQuery = "limit=6"
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		wantCode(t, w, http.StatusUnauthorized, CodeBadSignature)
		r = httptest.NewRequest(http.MethodDelete, f.nsPath()+"/"+strings.Repeat("0", 64), nil)
		if err := SignRequest(r, nil, f.aliceW, f.alice.secret, testNow); err != nil {
			t.Fatal(err)
		}
		r.Method = http.MethodGet
		w = httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		wantCode(t, w, http.StatusUnauthorized, CodeBadSignature)
	})
	t.Run("missing and malformed headers", func(t *testing.T) {
		wantCode(t, f.do(http.MethodPut, f.nsPath(), d, nil, f.alice, time.Time{}), http.StatusUnauthorized, CodeMissingAuth)
		for _, tc := range []struct {
			header, value string
			code          Code
		}{
			{HeaderCapability, "", CodeMissingAuth},
			{HeaderSignature, "", CodeMissingAuth},
			{HeaderTimestamp, "", CodeMissingAuth},
			{HeaderCapability, "!!", CodeBadCapability},
			{HeaderCapability, base64.StdEncoding.EncodeToString([]byte{0xff, 1, 2}), CodeBadCapability},
			{HeaderSignature, "!!", CodeBadSignature},
			{HeaderSignature, base64.StdEncoding.EncodeToString(make([]byte, 63)), CodeBadSignature},
			{HeaderTimestamp, "12x", CodeBadTimestamp},
			{HeaderTimestamp, "+" + strconv.FormatInt(testNow.Unix(), 10), CodeBadTimestamp},
		} {
			r := httptest.NewRequest(http.MethodPut, f.nsPath(), bytes.NewReader(d))
			if err := SignRequest(r, d, f.aliceW, f.alice.secret, testNow); err != nil {
				t.Fatal(err)
			}
			r.Header.Set(tc.header, tc.value)
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			wantCode(t, w, http.StatusUnauthorized, tc.code)
		}
	})
}

// TestDropRefusals: a plaintext drop is verified before it is stored.
func TestDropRefusals(t *testing.T) {
	f := newFixture(t, nil)
	good := makeDrop(t, f.ns, f.alice, f.aliceW, "a", "one", "two")

	t.Run("unauthorised entry", func(t *testing.T) {
		var buf bytes.Buffer
		dw := drop.NewWriter(&buf)
		e := entry.Entry{NamespaceID: f.ns, SubspaceID: f.alice.id, Path: path.MustFromStrings("x"), Timestamp: 7,
			PayloadDigest: ids.PayloadDigest(bab.Sum(nil))}
		tok := meadowcap.NewAuthorisationToken(f.aliceW, ids.Signature{1})
		if err := dw.Add(meadowcap.AuthorisedEntryFromTrustedStorage(e, tok), nil); err != nil {
			t.Fatal(err)
		}
		if err := dw.Close(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.upload(buf.Bytes(), f.aliceW, f.alice), http.StatusForbidden, CodeUnauthorisedEntry)
	})
	t.Run("entry of another subspace", func(t *testing.T) {
		// Bob's entries are authorised, but not within alice's capability.
		d := makeDrop(t, f.ns, f.bob, f.bobW, "b", "hi")
		wantCode(t, f.upload(d, f.aliceW, f.alice), http.StatusForbidden, CodeEntryOutsideArea)
	})
	t.Run("entry outside a delegated area", func(t *testing.T) {
		// Alice delegates /notes to bob; bob uploads a drop of alice's
		// entries under /blog.
		area := grouping.SubspaceArea(f.alice.id)
		area.Path = path.MustFromStrings("notes")
		toBob, err := meadowcap.Delegate(f.aliceW, f.alice.secret, area, f.bob.id)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "blog", "x"), toBob, f.bob), http.StatusForbidden, CodeEntryOutsideArea)
		// Within the area it is fine: entries written by bob with the delegated capability.
		var buf bytes.Buffer
		dw := drop.NewWriter(&buf)
		e := entry.Entry{NamespaceID: f.ns, SubspaceID: f.alice.id, Path: path.MustFromStrings("notes", "1"), Timestamp: 3,
			PayloadLength: 1, PayloadDigest: ids.PayloadDigest(bab.Sum([]byte("n")))}
		tok, err := meadowcap.Authorise(e, toBob, f.bob.secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := dw.Add(meadowcap.AuthorisedEntryFromTrustedStorage(e, tok), drop.BytesPayload{Data: []byte("n")}); err != nil {
			t.Fatal(err)
		}
		if err := dw.Close(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.upload(buf.Bytes(), toBob, f.bob), http.StatusCreated, "")
	})
	t.Run("entry of another namespace", func(t *testing.T) {
		otherNS, _, _ := ids.GenerateCommunalNamespace(rand.Reader)
		d := makeDrop(t, otherNS, f.alice, mustCap(t, meadowcap.Write, otherNS, f.alice.id), "a", "x")
		wantCode(t, f.upload(d, f.aliceW, f.alice), http.StatusForbidden, CodeEntryOutsideArea)
	})
	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{1, len(good) / 2, len(good) - 1} {
			wantCode(t, f.upload(good[:n], f.aliceW, f.alice), http.StatusUnprocessableEntity, CodeTruncatedDrop)
		}
	})
	t.Run("trailing bytes", func(t *testing.T) {
		wantCode(t, f.upload(append(bytes.Clone(good), 0), f.aliceW, f.alice), http.StatusUnprocessableEntity, CodeInvalidDrop)
	})
	t.Run("payload mismatch", func(t *testing.T) {
		bad := bytes.Clone(good)
		i := bytes.Index(bad, []byte("two"))
		bad[i] = 'T'
		wantCode(t, f.upload(bad, f.aliceW, f.alice), http.StatusUnprocessableEntity, CodeInvalidDrop)
	})
	t.Run("not a drop", func(t *testing.T) {
		wantCode(t, f.upload([]byte("\xffhello"), f.aliceW, f.alice), http.StatusUnprocessableEntity, CodeInvalidDrop)
		wantCode(t, f.upload(nil, f.aliceW, f.alice), http.StatusUnprocessableEntity, CodeTruncatedDrop)
	})
	if f.blobs.Len() != 1 {
		t.Fatalf("%d blobs stored; want only the valid one", f.blobs.Len())
	}
}

func TestPagination(t *testing.T) {
	f := newFixture(t, nil)
	want := map[string]bool{}
	for i := range 7 {
		w := f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "p", strconv.Itoa(i)), f.aliceW, f.alice)
		wantCode(t, w, http.StatusCreated, "")
		want[decode[UploadResponse](t, w).ID] = true
	}
	var got []string
	after := ""
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("pagination does not end")
		}
		target := f.nsPath() + "?limit=3"
		if after != "" {
			target += "&after=" + after
		}
		w := f.do(http.MethodGet, target, nil, &f.aliceR, f.alice, time.Time{})
		wantCode(t, w, http.StatusOK, "")
		l := decode[ListResponse](t, w)
		if len(l.Drops) > 3 || (l.Next != "" && len(l.Drops) != 3) {
			t.Fatalf("page %d: %+v", page, l)
		}
		for _, r := range l.Drops {
			got = append(got, r.ID)
		}
		if l.Next == "" {
			break
		}
		after = l.Next
	}
	if len(got) != 7 {
		t.Fatalf("listed %d drops", len(got))
	}
	for i, id := range got {
		if !want[id] || (i > 0 && got[i-1] >= id) {
			t.Fatalf("listing %v not the uploaded ids in increasing order", got)
		}
	}
	for _, q := range []string{"?limit=0", "?limit=1001", "?limit=x"} {
		wantCode(t, f.do(http.MethodGet, f.nsPath()+q, nil, &f.aliceR, f.alice, time.Time{}), http.StatusBadRequest, CodeBadRequest)
	}
}

func TestLimits(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxBodyBytes = 200; c.MaxDropsPerUploader = 2 })
	big := makeDrop(t, f.ns, f.alice, f.aliceW, "big", strings.Repeat("x", 300))
	wantCode(t, f.upload(big, f.aliceW, f.alice), http.StatusRequestEntityTooLarge, CodeBodyTooLarge)
	// Without a Content-Length the body is still bounded.
	r := httptest.NewRequest(http.MethodPut, f.nsPath(), io.MultiReader(bytes.NewReader(big)))
	r.ContentLength = -1
	if err := SignRequest(r, big, f.aliceW, f.alice.secret, testNow); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	wantCode(t, w, http.StatusRequestEntityTooLarge, CodeBodyTooLarge)

	for i := range 2 {
		wantCode(t, f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "q", strconv.Itoa(i)), f.aliceW, f.alice), http.StatusCreated, "")
	}
	third := makeDrop(t, f.ns, f.alice, f.aliceW, "q", "2")
	wantCode(t, f.upload(third, f.aliceW, f.alice), http.StatusTooManyRequests, CodeQuotaExceeded)
	// The quota is per uploader; re-uploading a stored drop is no new drop.
	wantCode(t, f.upload(makeDrop(t, f.ns, f.bob, f.bobW, "q", "0"), f.bobW, f.bob), http.StatusCreated, "")
	wantCode(t, f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "q", "0"), f.aliceW, f.alice), http.StatusOK, "")
}

func TestRoutesAndCORS(t *testing.T) {
	f := newFixture(t, nil)
	r := httptest.NewRequest(http.MethodOptions, f.nsPath(), nil)
	r.Header.Set("Origin", "https://example.org")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	r.Header.Set("Access-Control-Request-Headers", "willow-capability, willow-signature, willow-timestamp")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	wantCode(t, w, http.StatusNoContent, "")
	h := w.Header()
	if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "PUT") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), HeaderSignature) || h.Get("Access-Control-Max-Age") == "" {
		t.Fatalf("preflight headers %v", h)
	}
	w = httptest.NewRecorder()
	f.h.ServeHTTP(w, httptest.NewRequest(http.MethodOptions, f.nsPath()+"/"+strings.Repeat("a", 64), nil))
	if !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "DELETE") {
		t.Fatalf("preflight of a drop: %v", w.Header())
	}

	wantCode(t, f.do(http.MethodGet, "/", nil, nil, f.alice, time.Time{}), http.StatusNotFound, CodeNotFound)
	wantCode(t, f.do(http.MethodGet, "/v2/namespaces/x/drops", nil, nil, f.alice, time.Time{}), http.StatusNotFound, CodeNotFound)
	wantCode(t, f.do(http.MethodGet, "/v1/namespaces/zz/drops", nil, nil, f.alice, time.Time{}), http.StatusBadRequest, CodeBadNamespace)
	wantCode(t, f.do(http.MethodGet, f.nsPath()+"/zz", nil, nil, f.alice, time.Time{}), http.StatusBadRequest, CodeBadDropID)
	w = f.do(http.MethodPost, f.nsPath(), nil, nil, f.alice, time.Time{})
	wantCode(t, w, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	if w.Header().Get("Allow") == "" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("405 headers %v", w.Header())
	}
	wantCode(t, f.do(http.MethodPut, f.nsPath()+"/"+strings.Repeat("a", 64), nil, nil, f.alice, time.Time{}), http.StatusMethodNotAllowed, CodeMethodNotAllowed)
}

type panickyIndex struct{ MemoryIndex }

func (*panickyIndex) List(context.Context, string, string, int) ([]Record, string, error) {
	panic("boom")
}

type failingIndex struct{ MemoryIndex }

func (*failingIndex) Get(context.Context, string, string) (Record, error) {
	return Record{}, io.ErrUnexpectedEOF
}

func TestPanicRecoveredAndStorageErrors(t *testing.T) {
	var logged []string
	f := newFixture(t, func(c *Config) {
		c.Index = &panickyIndex{}
		c.Log = func(format string, args ...any) { logged = append(logged, format) }
	})
	w := f.do(http.MethodGet, f.nsPath(), nil, &f.aliceR, f.alice, time.Time{})
	wantCode(t, w, http.StatusInternalServerError, CodeInternal)
	if strings.Contains(w.Body.String(), "boom") || len(logged) != 1 {
		t.Fatalf("panic leaked or not logged: %s %v", w.Body, logged)
	}
	// The handler keeps serving.
	wantCode(t, f.do(http.MethodGet, f.nsPath(), nil, &f.aliceR, f.alice, time.Time{}), http.StatusInternalServerError, CodeInternal)

	f = newFixture(t, func(c *Config) { c.Index = &failingIndex{} })
	wantCode(t, f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x"), f.aliceW, f.alice), http.StatusServiceUnavailable, CodeStorage)
}

func TestSignedMessageLayout(t *testing.T) {
	var d [32]byte
	d[0], d[31] = 0xaa, 0xbb
	got := SignedMessage("PUT", "/v1/namespaces/+ab/drops?x=1", 1700000000, d)
	want := append([]byte("willow-relay/v1 request\x00PUT\n/v1/namespaces/+ab/drops?x=1\n1700000000\n"), d[:]...)
	if !bytes.Equal(got, want) {
		t.Fatalf("SignedMessage = %q", got)
	}
}

func TestNewNeedsStorage(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("New without storage succeeded")
	}
}

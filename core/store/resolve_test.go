package store

import (
	"bytes"
	"errors"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/core/uri"
)

func TestResolveURIs(t *testing.T) {
	ws := newWriters(t, 1, 1)
	w := ws[0]
	s := mustOpen(t, kv.NewMemory(0))
	payload := bytes.Repeat([]byte("0123456789"), 300) // 3000 bytes, 3 chunks
	e := w.write(t, s, path.MustFromStrings("blog", "post"), 10, payload, false)
	partial := w.write(t, s, path.MustFromStrings("blog", "partial"), 11, payload[:2500], true)

	link := uri.ForEntry(e)
	link.Digest, link.HasDigest = e.PayloadDigest, true
	text, err := link.Format()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := uri.ParseEntry(text + "&from=5&to=15")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st, err := s.ResolveEntry(parsed, &out)
	if err != nil || !st.Entry.Equal(e) || out.String() != "5678901234" {
		t.Fatalf("resolve %s&from=5&to=15 = %v, %q, %v", text, st.Entry.Path, out.String(), err)
	}
	// Ranges past the end are clamped; from > to is empty.
	for _, c := range []struct {
		r    uri.PayloadRange
		want string
	}{
		{uri.PayloadRange{From: 2995, HasFrom: true, To: 99999, HasTo: true}, "56789"},
		{uri.PayloadRange{From: 50, HasFrom: true, To: 10, HasTo: true}, ""},
		{uri.PayloadRange{From: 5000, HasFrom: true}, ""},
		{uri.PayloadRange{}, ""},
	} {
		u := parsed
		u.Range = c.r
		out.Reset()
		if _, err := s.ResolveEntry(u, &out); err != nil || out.String() != c.want {
			t.Errorf("range %+v: %q, %v; want %q", c.r, out.String(), err, c.want)
		}
	}
	// Missing chunks: an error, and nothing written.
	pu := uri.ForEntry(partial)
	pu.Range = uri.PayloadRange{HasFrom: true} // the whole payload
	out.Reset()
	if _, err := s.ResolveEntry(pu, &out); !errors.Is(err, bab.ErrMissingData) || out.Len() != 0 {
		t.Fatalf("partial payload: %v, wrote %d bytes", err, out.Len())
	}
	pu.Range = uri.PayloadRange{To: 1024, HasTo: true} // chunk 0 is held
	if _, err := s.ResolveEntry(pu, &out); err != nil || out.Len() != 1024 {
		t.Fatalf("held chunk of a partial payload: %v, %d bytes", err, out.Len())
	}
	// Overwritten: a newer entry at the same path has another digest.
	w.write(t, s, path.MustFromStrings("blog", "post"), 20, []byte("new text"), false)
	if _, err := s.ResolveEntry(parsed, &out); !errors.Is(err, ErrOverwritten) {
		t.Fatalf("after overwrite: %v; want ErrOverwritten", err)
	}
	noDigest := parsed
	noDigest.HasDigest = false
	noDigest.Range = uri.PayloadRange{}
	if st, err := s.ResolveEntry(noDigest, &out); err != nil || st.Entry.Timestamp != 20 {
		t.Fatalf("without a digest the link follows the newest entry: %v, %v", st.Entry.Timestamp, err)
	}
	gone := noDigest
	gone.Path = path.MustFromStrings("nothing")
	if _, err := s.ResolveEntry(gone, &out); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing entry: %v; want ErrNotFound", err)
	}
	// Area URIs: newest first, with the count limit.
	area, err := uri.NewAreaURI(e.NamespaceID, grouping.AreaOfInterest{
		Area:     grouping.Area{Subspace: grouping.OnlySubspace(e.SubspaceID), Path: path.MustFromStrings("blog")},
		MaxCount: 1, MaxSize: grouping.Unlimited})
	if err != nil {
		t.Fatal(err)
	}
	text, err = area.Format()
	if err != nil {
		t.Fatal(err)
	}
	pa, err := uri.ParseArea(text)
	if err != nil {
		t.Fatal(err)
	}
	sts, err := s.ResolveArea(pa)
	if err != nil || len(sts) != 1 || sts[0].Entry.Timestamp != 20 {
		t.Fatalf("area %s: %d entries, %v", text, len(sts), err)
	}
}

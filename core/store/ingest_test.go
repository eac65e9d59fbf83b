package store

import (
	"crypto/rand"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
)

func TestIngestAuthorisedEntriesRoundTripTokens(t *testing.T) {
	ns, _, err := ids.GenerateCommunalNamespace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ss, secret, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	capability, err := meadowcap.NewCommunal(meadowcap.Write, ns, ss)
	if err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, kv.NewMemory(0))
	var aes []meadowcap.AuthorisedEntry
	for i, p := range [][]string{{"blog", "a"}, {"blog", "b"}, {"blog"}} {
		e := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: path.MustFromStrings(p...), Timestamp: entry.Timestamp(10 + i)}
		token, err := meadowcap.Authorise(e, capability, secret)
		if err != nil {
			t.Fatal(err)
		}
		ae, err := meadowcap.NewAuthorisedEntry(e, token)
		if err != nil {
			t.Fatal(err)
		}
		aes = append(aes, ae)
	}
	results, err := s.IngestAll(aes)
	if err != nil {
		t.Fatal(err)
	}
	if results[2].Outcome != Inserted || len(results[2].Pruned) != 2 {
		t.Fatalf("/blog at a later time should prune both children: %+v", results[2])
	}
	// Ingesting the same entry again is idempotent.
	if res, err := s.Ingest(aes[2]); err != nil || res.Outcome != AlreadyPresent {
		t.Fatalf("second ingest = %v, %v; want already present", res.Outcome, err)
	}
	st, ok, err := s.Get(ns, ss, path.MustFromStrings("blog"))
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	back, err := st.Authorised()
	if err != nil {
		t.Fatal(err)
	}
	if !back.Token().Equal(aes[2].Token()) || !back.Entry().Equal(aes[2].Entry()) {
		t.Fatal("stored token or entry differs from the ingested one")
	}
	if err := meadowcap.CheckAuthorisedWrite(back.Entry(), back.Token()); err != nil {
		t.Fatalf("stored pair no longer verifies: %v", err)
	}
	txn := s.Begin()
	if ok, err := txn.ForgetEntry(ns, ss, path.MustFromStrings("blog")); !ok || err != nil {
		t.Fatalf("ForgetEntry = %v, %v", ok, err)
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Entries(Query{Namespace: ns, Area: grouping.FullArea()}); len(all) != 0 {
		t.Fatalf("%d entries left after forgetting the only one", len(all))
	}
}

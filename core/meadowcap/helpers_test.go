package meadowcap

import (
	"errors"

	"github.com/willow-web/willow-web/core/codec"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// keys is a deterministic source of key pairs for tests.
type keys struct{ rng *rand.ChaCha8 }

func newKeys(seed byte) *keys {
	var s [32]byte
	s[0] = seed
	return &keys{rng: rand.NewChaCha8(s)}
}

func (k *keys) user(t testing.TB) (ids.SubspaceID, ids.SecretKey) {
	t.Helper()
	pk, sk, err := ids.GenerateSubspace(k.rng)
	if err != nil {
		t.Fatal(err)
	}
	return pk, sk
}

func (k *keys) communal(t testing.TB) (ids.NamespaceID, ids.SecretKey) {
	t.Helper()
	pk, sk, err := ids.GenerateCommunalNamespace(k.rng)
	if err != nil {
		t.Fatal(err)
	}
	return pk, sk
}

func (k *keys) owned(t testing.TB) (ids.NamespaceID, ids.SecretKey) {
	t.Helper()
	pk, sk, err := ids.GenerateOwnedNamespace(k.rng)
	if err != nil {
		t.Fatal(err)
	}
	return pk, sk
}

func mustPath(comps ...string) path.Path { return path.MustFromStrings(comps...) }

func closedTimes(t testing.TB, start, end uint64) grouping.TimeRange {
	t.Helper()
	r, err := grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func area(sub grouping.AreaSubspace, p path.Path, times grouping.TimeRange) grouping.Area {
	return grouping.Area{Subspace: sub, Path: p, Times: times}
}

func mkEntry(ns ids.NamespaceID, ss ids.SubspaceID, p path.Path, ts uint64) entry.Entry {
	return entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: p, Timestamp: entry.Timestamp(ts), PayloadLength: 5,
		PayloadDigest: ids.PayloadDigest{1, 2, 3}}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// decodeAll decodes b completely with a Relation decoder, failing on
// trailing bytes.
func decodeAll[T any](b []byte, dec func(*codec.Decoder) (T, error)) (T, error) {
	d := codec.NewDecoder(b, codec.Relation)
	v, err := dec(d)
	if err == nil && d.Remaining() != 0 {
		var zero T
		return zero, errors.New("trailing bytes")
	}
	return v, err
}

// decodeAllCanonic is decodeAll with a Canonic decoder.
func decodeAllCanonic[T any](b []byte, dec func(*codec.Decoder) (T, error)) (T, error) {
	d := codec.NewDecoder(b, codec.Canonic)
	v, err := dec(d)
	if err == nil && d.Remaining() != 0 {
		var zero T
		return zero, errors.New("trailing bytes")
	}
	return v, err
}

package conformance_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// The rust-reference-fixtures: JSON files written by driving the Rust
// reference encoders over fixed inputs. Every fixture is checked both ways:
// our canonic encoder produces exactly encoded_hex, and decoding encoded_hex
// (canonically and as a relation) consumes all of it and gives the value back.

type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

type fixtureParams struct {
	MCL int `json:"mcl"`
	MCC int `json:"mcc"`
	MPL int `json:"mpl"`
}

func loadFixture(t *testing.T, name string, into any) {
	t.Helper()
	dir := testvectors.Dir(t, "rust-reference-fixtures")
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func mustPath(t *testing.T, comps []hexBytes) path.Path {
	t.Helper()
	bs := make([][]byte, len(comps))
	for i, c := range comps {
		bs[i] = c
	}
	p, err := path.New(bs...)
	if err != nil {
		t.Fatalf("fixture path: %v", err)
	}
	return p
}

// decodeBoth decodes code in both modes with dec, requiring that each
// consumes it exactly and yields a value equal to want.
func decodeBoth[T any](t *testing.T, name string, code []byte, dec func(*codec.Decoder) (T, error), equal func(T) bool) {
	t.Helper()
	for _, mode := range []codec.Mode{codec.Canonic, codec.Relation} {
		d := codec.NewDecoder(code, mode)
		v, err := dec(d)
		switch {
		case err != nil:
			t.Errorf("%s: decoding (mode %d): %v", name, mode, err)
		case d.Remaining() != 0:
			t.Errorf("%s: decoding (mode %d) left %d bytes", name, mode, d.Remaining())
		case !equal(v):
			t.Errorf("%s: decoding (mode %d) gave %v", name, mode, v)
		}
	}
}

func TestFixturePaths(t *testing.T) {
	for _, file := range []string{"paths/basic.json", "paths/limits.json"} {
		var f struct {
			Params fixtureParams
			Cases  []struct {
				Name       string
				Components []hexBytes `json:"components_hex"`
				Encoded    hexBytes   `json:"encoded_hex"`
			}
		}
		loadFixture(t, file, &f)
		if len(f.Cases) == 0 {
			t.Fatalf("%s: no cases", file)
		}
		// limits.json was made with tiny limits (8/4/16); its paths are
		// within the Willow'25 limits too, so only their bytes are checked.
		for _, c := range f.Cases {
			p := mustPath(t, c.Components)
			if got := path.Encode(p); !bytes.Equal(got, c.Encoded) {
				t.Errorf("%s/%s: encode = %x, want %x", file, c.Name, got, []byte(c.Encoded))
			}
			decodeBoth(t, file+"/"+c.Name, c.Encoded, path.Decode, p.Equal)
		}
		t.Logf("%s: %d cases (params %+v)", file, len(f.Cases), f.Params)
	}
}

func TestFixturePathsRelative(t *testing.T) {
	var f struct {
		Cases []struct {
			Name      string
			Reference []hexBytes `json:"reference_components_hex"`
			Target    []hexBytes `json:"target_components_hex"`
			Encoded   hexBytes   `json:"encoded_hex"`
		}
	}
	loadFixture(t, "paths/relative.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		rel, p := mustPath(t, c.Reference), mustPath(t, c.Target)
		if got := path.AppendEncodeRelative(nil, p, rel); !bytes.Equal(got, c.Encoded) {
			t.Errorf("%s: encode = %x, want %x", c.Name, got, []byte(c.Encoded))
		}
		decodeBoth(t, c.Name, c.Encoded, func(d *codec.Decoder) (path.Path, error) { return path.DecodeRelative(d, rel) }, p.Equal)
	}
	t.Logf("paths/relative.json: %d cases", len(f.Cases))
}

func TestFixturePathsExtends(t *testing.T) {
	var f struct {
		Cases []struct {
			Name    string
			Prefix  []hexBytes `json:"prefix_components_hex"`
			Path    []hexBytes `json:"path_components_hex"`
			Encoded hexBytes   `json:"encoded_hex"`
		}
	}
	loadFixture(t, "paths_rel/extends.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		prefix, p := mustPath(t, c.Prefix), mustPath(t, c.Path)
		got, err := path.AppendEncodeExtends(nil, p, prefix)
		if err != nil || !bytes.Equal(got, c.Encoded) {
			t.Errorf("%s: encode = %x, %v; want %x", c.Name, got, err, []byte(c.Encoded))
		}
		decodeBoth(t, c.Name, c.Encoded, func(d *codec.Decoder) (path.Path, error) { return path.DecodeExtends(d, prefix) }, p.Equal)
	}
	t.Logf("paths_rel/extends.json: %d cases", len(f.Cases))
}

func TestFixtureEntries(t *testing.T) {
	var f struct {
		Cases []struct {
			Name          string
			Namespace     hexBytes   `json:"namespace_id_hex"`
			Subspace      hexBytes   `json:"subspace_id_hex"`
			Path          []hexBytes `json:"path_components_hex"`
			Timestamp     uint64     `json:"timestamp"`
			PayloadLength uint64     `json:"payload_length"`
			Digest        hexBytes   `json:"payload_digest_hex"`
			Encoded       hexBytes   `json:"encoded_hex"`
		}
	}
	loadFixture(t, "entries/basic.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		e := entry.Entry{
			NamespaceID:   ids.NamespaceID(c.Namespace),
			SubspaceID:    ids.SubspaceID(c.Subspace),
			Path:          mustPath(t, c.Path),
			Timestamp:     entry.Timestamp(c.Timestamp),
			PayloadLength: c.PayloadLength,
			PayloadDigest: ids.PayloadDigest(c.Digest),
		}
		if got := entry.Encode(e); !bytes.Equal(got, c.Encoded) {
			t.Errorf("%s: encode = %x, want %x", c.Name, got, []byte(c.Encoded))
		}
		decodeBoth(t, c.Name, c.Encoded, entry.Decode, e.Equal)
	}
	t.Logf("entries/basic.json: %d cases", len(f.Cases))
}

type fixtureArea struct {
	Subspace *hexBytes  `json:"subspace_hex"`
	Path     []hexBytes `json:"path_components_hex"`
	Start    uint64     `json:"times_start"`
	End      *uint64    `json:"times_end"`
}

func (fa fixtureArea) area(t *testing.T) grouping.Area {
	t.Helper()
	a := grouping.Area{Path: mustPath(t, fa.Path)}
	if fa.Subspace != nil {
		a.Subspace = grouping.OnlySubspace(ids.SubspaceID(*fa.Subspace))
	}
	if fa.End == nil {
		a.Times = grouping.NewOpenRange(entry.Timestamp(fa.Start))
	} else {
		var err error
		if a.Times, err = grouping.NewClosedRange(entry.Timestamp(fa.Start), entry.Timestamp(*fa.End)); err != nil {
			t.Fatalf("fixture area: %v", err)
		}
	}
	return a
}

func TestFixtureAreas(t *testing.T) {
	var f struct {
		Cases []struct {
			Name    string
			Rel     fixtureArea
			Target  fixtureArea
			Encoded hexBytes `json:"encoded_hex"`
		}
	}
	loadFixture(t, "areas/relative.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		outer, a := c.Rel.area(t), c.Target.area(t)
		got, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
		if err != nil || !bytes.Equal(got, c.Encoded) {
			t.Errorf("%s: encode = %x, %v; want %x", c.Name, got, err, []byte(c.Encoded))
		}
		decodeBoth(t, c.Name, c.Encoded, func(d *codec.Decoder) (grouping.Area, error) { return grouping.DecodeAreaInArea(d, outer) }, a.Equal)
	}
	t.Logf("areas/relative.json: %d cases", len(f.Cases))
}

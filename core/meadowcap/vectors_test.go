package meadowcap

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// Reasons why a July-2025 vector disagrees with the current spec.
const (
	// The encodings page (EncodeCommunalCapability) now sets area_{−1} to the
	// subspace area of the user (spec commit 13248a0, 2025-11-21); willow-rs
	// used the full area. These capabilities delegate areas with subspace
	// "any", which no longer fit inside area_{−1}: their first EncodeAreaInArea
	// code is relative to an open-ended area but has start_from_start = 0.
	reasonCommunalBase = "old communal base area (full area instead of the user's subspace area)"
	// EncodeAreaInArea: "if rel's end is open, start_from_start must be true
	// and end_from_start must be false iff val's end is open". willow-rs
	// treated an open end as 2^64−1 and chose freely.
	reasonOpenRule = "old area-in-area rule for open reference ranges (start_from_start/end_from_start)"
	// Groupings: closed ranges need end > start since spec commit db644b0
	// (2025-11-25, "Remove empty collections").
	reasonEmptyRange = "empty time range (end ≤ start)"
)

// vectorExceptions lists the yay cases that must fail to decode under the
// current spec, with the reasons (checked against the dbg dumps). The test
// fails if one of them starts decoding, or if an unlisted case fails.
var vectorExceptions = map[string]string{
	"EncodeCommunalCapability/32": reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange + " [2^64−1, 2^64−258)",
	"EncodeMcCapability/26":       reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/35":       reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/81":       "owned capability: " + reasonOpenRule + " (closed area encoded with end_from_start = 0 relative to the open full area)",
	"EncodeMcCapability/87":       reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/89":       reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/96":       reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/104":      reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/146":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/185":      reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/189":      reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/245":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/251":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/327":      reasonCommunalBase + "; " + reasonOpenRule + "; " + reasonEmptyRange,
	"EncodeMcCapability/385":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/415":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/432":      reasonCommunalBase + "; " + reasonOpenRule,
	"EncodeMcCapability/448":      "owned capability: " + reasonOpenRule + " (closed area encoded with end_from_start = 0 relative to the open full area)",
}

// vectorCases lists the numbered files of dir/sub in numeric order.
func vectorCases(t *testing.T, dir, sub string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, sub))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Slice(names, func(i, j int) bool {
		a, _ := strconv.Atoi(names[i])
		b, _ := strconv.Atoi(names[j])
		return a < b
	})
	return names
}

func readVector(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWillowTestVectors(t *testing.T) {
	root := testvectors.Dir(t, "willow_test_vectors")
	capDecoders := map[string]func(*codec.Decoder) (Capability, error){
		"EncodeCommunalCapability": DecodeCommunalCapability,
		"EncodeOwnedCapability":    DecodeOwnedCapability,
		"EncodeMcCapability":       DecodeMcCapability,
	}
	capEncoders := map[string]func([]byte, Capability) ([]byte, error){
		"EncodeCommunalCapability": AppendEncodeCommunalCapability,
		"EncodeOwnedCapability":    AppendEncodeOwnedCapability,
		"EncodeMcCapability":       AppendEncodeMcCapability,
	}
	seenExceptions := map[string]bool{}
	for _, folder := range []string{"EncodeCommunalCapability", "EncodeOwnedCapability", "EncodeMcCapability", "EncodeMcEnumerationCapability"} {
		t.Run(folder, func(t *testing.T) {
			dir := filepath.Join(root, folder)
			decode := func(b []byte) ([]byte, error) {
				if folder == "EncodeMcEnumerationCapability" {
					c, err := DecodeMcEnumerationCapability(codec.NewDecoder(b, codec.Relation))
					if err != nil {
						return nil, err
					}
					return AppendEncodeMcEnumerationCapability(nil, c), nil
				}
				c, err := capDecoders[folder](codec.NewDecoder(b, codec.Relation))
				if err != nil {
					return nil, err
				}
				return capEncoders[folder](nil, c)
			}
			yays, nays := vectorCases(t, dir, "yay"), vectorCases(t, dir, "nay")
			passed, exceptions, naysRejected := 0, 0, 0
			for _, name := range yays {
				id := folder + "/" + name
				reason, isException := vectorExceptions[id]
				re, err := decode(readVector(t, dir, "yay", name))
				if isException {
					seenExceptions[id] = true
					var de *codec.DecodeError
					switch {
					case err == nil:
						t.Errorf("%s is listed as an exception (%s) but now decodes: remove it from vectorExceptions", id, reason)
					case !errors.As(err, &de) || !errors.Is(err, codec.ErrInvalid):
						t.Errorf("%s: exception fails for an unexpected reason: %v", id, err)
					default:
						exceptions++
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: yay does not decode: %v", id, err)
					continue
				}
				want := readVector(t, dir, "reencoded", name)
				if !bytes.Equal(re, want) {
					t.Errorf("%s: re-encoding\n got %x\nwant %x", id, re, want)
					continue
				}
				// The re-encoding is the canonic code: a canonic decoder takes
				// it, whole.
				if folder != "EncodeMcEnumerationCapability" {
					if _, err := decodeAllCanonic(want, capDecoders[folder]); err != nil {
						t.Errorf("%s: reencoded is not canonic for us: %v", id, err)
						continue
					}
				}
				passed++
			}
			for _, name := range nays {
				if _, err := decode(readVector(t, dir, "nay", name)); err == nil {
					t.Errorf("%s/nay/%s decodes but must be rejected (%s)", folder, name,
						bytes.Join(bytes.Fields(readVector(t, dir, "nay_reason", name)), nil))
					continue
				}
				naysRejected++
			}
			t.Logf("%s: yay %d passed + %d listed exceptions of %d; nay %d of %d rejected",
				folder, passed, exceptions, len(yays), naysRejected, len(nays))
		})
	}
	for id := range vectorExceptions {
		if !seenExceptions[id] {
			t.Errorf("exception %s names no existing yay case", id)
		}
	}
}

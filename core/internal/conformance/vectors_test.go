package conformance_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/internal/conformance"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/testvectors"
)

// result is what our implementation made of one case.
type result struct {
	err      error  // decoding error (nil: decoded)
	consumed int    // bytes the decoder consumed
	absolute []byte // the absolute encoding of the decoded value (as in reencoded/)
	// check is the first failed extra check of a decoded value (canonic
	// re-encoding, round trip of our own relative encoding, canonicity
	// agreement between the two decoding modes), nil if all hold.
	check error
}

// errReference marks a case whose reference value (the *_relative_to file)
// we cannot decode.
var errReference = errors.New("reference value not decodable")

// folder runs the cases of one corpus folder.
type folder struct {
	name string
	// mode: lower-case folders are encoding functions, decoded canonically;
	// CamelCase ones are encoding relations.
	mode codec.Mode
	run  func(c conformance.Case, mode codec.Mode) result
}

var folders = []folder{
	{"EncodePath", codec.Relation, runPath},
	{"encode_path", codec.Canonic, runPath},
	{"EncodePathRelativePath", codec.Relation, runPathRelative},
	{"path_rel_path", codec.Canonic, runPathRelative},
	{"EncodePathExtendsPath", codec.Relation, runPathExtends},
	{"path_extends_path", codec.Canonic, runPathExtends},
	{"EncodeEntry", codec.Relation, runEntry},
	{"encode_entry", codec.Canonic, runEntry},
	{"EncodeEntryRelativeEntry", codec.Relation, runEntryRelative},
	{"EncodeAreaInArea", codec.Relation, runAreaInArea},
	{"area_in_area", codec.Canonic, runAreaInArea},
	{"EncodeEntryInNamespace3dRange", codec.Relation, runEntryIn3dRange},
	{"Encode3dRangeRelative3dRange", codec.Relation, run3dRangeRelative},
}

// outOfScope lists the corpus folders this test does not run, with the
// reason. Every folder of the corpus is either run here, run by another
// package's test, or listed here.
var outOfScope = map[string]string{
	"EncodeCommunalCapability":      "a Meadowcap capability encoding: belongs to core/meadowcap's conformance test, not to the core encodings",
	"EncodeOwnedCapability":         "a Meadowcap capability encoding: belongs to core/meadowcap's conformance test, not to the core encodings",
	"EncodeMcCapability":            "a Meadowcap capability encoding: belongs to core/meadowcap's conformance test, not to the core encodings",
	"EncodeMcEnumerationCapability": "a Meadowcap capability encoding: belongs to core/meadowcap's conformance test, not to the core encodings",
}

// An exception is a corpus case that disagrees with the current
// specification: the test requires it to keep failing exactly as described
// (if it starts passing, the entry must go).
type exception struct {
	corpus string // what the corpus expects
	ours   string // what we do instead
	reason string // why the corpus is wrong now, citing the spec
}

// Spec clauses cited below (willowprotocol.org, site source c1ce145).
const (
	clauseAiaOpen = "encodings.tsx, EncodeAreaInArea: \"If rel.time_range.end is open, then start_from_start must be true, " +
		"and end_from_start must be false if and only if val.time_range.end is open\""
	clauseNonEmpty = "grouping_entries.tsx, Ranges: \"A closed range consists of a start value and a strictly greater end value\" " +
		"(empty ranges were removed in Nov 2025)"
	clauseExtends = "corpus: EncodePathExtendsPath/path_extends_path record no nay_relative_to, so their nay cases " +
		"are run relative to the empty path"
)

var exceptions = map[string]exception{
	"EncodeAreaInArea/yay/12": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"EncodeAreaInArea/yay/37": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"EncodeAreaInArea/yay/61": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"EncodeAreaInArea/yay/85": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"EncodeAreaInArea/yay/38": {
		corpus: "decodes",
		ours:   "end_from_start must be set iff the end is closed when the reference end is open",
		reason: "the reference area is open-ended and the area is closed, but the code has end_from_start = 0; " + clauseAiaOpen,
	},
	"EncodeAreaInArea/yay/82": {
		corpus: "decodes",
		ours:   "end_from_start must be set iff the end is closed when the reference end is open",
		reason: "the reference area is open-ended and the area is closed, but the code has end_from_start = 0; " + clauseAiaOpen,
	},
	"area_in_area/yay/24": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/25": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/37": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/65": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/69": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/74": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/83": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/86": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/96": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/104": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/110": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/113": {
		corpus: "decodes",
		ours:   "start_from_start must be set when the reference end is open",
		reason: "the reference area is open-ended but the code has start_from_start = 0 (the 2025 Rust encoder measured from an open end as if it were 2^64-1); " + clauseAiaOpen,
	},
	"area_in_area/yay/70": {
		corpus: "decodes to the time range [35073, 35073)",
		ours:   "empty grouping: closed range needs end > start",
		reason: "the decoded time range is empty; " + clauseNonEmpty,
	},
	"EncodePathExtendsPath/nay/102": {
		corpus: "rejected (TheirFault) relative to an unrecorded path",
		ours:   "decoded 1 bytes to 01",
		reason: clauseExtends + "; 01 (one empty component) extends every path of fewer than 4096 components, so the unrecorded reference must have had 4096",
	},
	"path_extends_path/nay/52": {
		corpus: "rejected (TheirFault) relative to an unrecorded path",
		ours:   "decoded 1 bytes to 01",
		reason: clauseExtends + "; 01 (one empty component) extends every path of fewer than 4096 components, so the unrecorded reference must have had 4096",
	},
	"path_extends_path/nay/119": {
		corpus: "rejected (TheirFault) relative to an unrecorded path",
		ours:   "decoded 1 bytes to 01",
		reason: clauseExtends + "; 01 (one empty component) extends every path of fewer than 4096 components, so the unrecorded reference must have had 4096",
	},
}

func TestVectors(t *testing.T) {
	root := testvectors.Dir(t, "willow_test_vectors")

	seen := map[string]bool{}
	for _, f := range folders {
		seen[f.name] = true
	}
	for name := range outOfScope {
		seen[name] = true
	}
	all, err := listFolders(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range all {
		if !seen[name] {
			t.Errorf("corpus folder %s is neither run nor listed as out of scope", name)
		}
	}

	used := map[string]bool{}
	for _, f := range folders {
		cases, err := conformance.Load(root, f.name)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if len(cases) == 0 {
			t.Errorf("%s: no cases found", f.name)
		}
		var passed, excepted, yays, nays, sameReason int
		for _, c := range cases {
			if c.Yay {
				yays++
			} else {
				nays++
				// Informative only: the reference decoder checks in another
				// order, so "truncated" versus "invalid" may differ.
				if r := f.run(c, f.mode); r.err != nil && errors.Is(r.err, codec.ErrTruncated) == c.WantsTruncated() {
					sameReason++
				}
			}
			ok, got := evaluate(f, c)
			ex, listed := exceptions[c.ID()]
			used[c.ID()] = listed
			switch {
			case ok && listed:
				t.Errorf("%s: listed as an exception (%s) but now passes: remove it from the table", c.ID(), ex.reason)
			case ok:
				passed++
			case listed && !strings.Contains(got, ex.ours):
				t.Errorf("%s: listed as an exception (ours: %q) but fails differently: %s", c.ID(), ex.ours, got)
			case listed:
				excepted++
				t.Logf("exception %s: corpus: %s; ours: %s; because %s", c.ID(), ex.corpus, ex.ours, ex.reason)
			default:
				t.Errorf("%s: %s\n\tcode %s\n\trelative to %s", c.ID(), got, short(c.Code), short(c.RelativeTo))
			}
		}
		line := fmt.Sprintf("%-29s %3d yay + %3d nay: %3d passed, %3d exceptions (nay reason kind agrees in %d)",
			f.name, yays, nays, passed, excepted, sameReason)
		t.Log(line)
	}
	for id := range exceptions {
		if _, ok := used[id]; !ok {
			t.Errorf("exception %s names no case of the corpus", id)
		}
	}
	for name, why := range outOfScope {
		t.Logf("%-26s not run here: %s", name, why)
	}
}

// evaluate runs one case and reports whether it passed and, if not, what
// happened.
func evaluate(f folder, c conformance.Case) (bool, string) {
	r := f.run(c, f.mode)
	if errors.Is(r.err, errReference) {
		return false, r.err.Error()
	}
	if c.Yay {
		switch {
		case r.err != nil:
			return false, "must decode, but: " + r.err.Error()
		case !bytes.Equal(r.absolute, c.Reencoded):
			return false, fmt.Sprintf("decoded, but re-encodes to %s, corpus says %s", short(r.absolute), short(c.Reencoded))
		case r.check != nil:
			return false, "decoded, but " + r.check.Error()
		}
		return true, ""
	}
	if r.err == nil {
		return false, fmt.Sprintf("must be rejected (%s), but decoded %d bytes to %s", oneLine(c.Reason), r.consumed, short(r.absolute))
	}
	return true, ""
}

// canonicAgreement checks, for a decoded value, that the canonic decoder
// accepts the consumed bytes iff they are the canonic code (and then gives
// the same value), and refuses them with ErrNonCanonic otherwise.
func canonicAgreement(consumed, canonic []byte, decodeCanonic func(*codec.Decoder) (bool, error)) error {
	d := codec.NewDecoder(consumed, codec.Canonic)
	same, err := decodeCanonic(d)
	if bytes.Equal(consumed, canonic) {
		if err != nil {
			return fmt.Errorf("the canonic decoder refuses the canonic code %s: %v", short(consumed), err)
		}
		if !same || d.Remaining() != 0 {
			return fmt.Errorf("the canonic decoder reads the canonic code %s differently", short(consumed))
		}
		return nil
	}
	if err == nil {
		return fmt.Errorf("the canonic decoder accepts %s, but the canonic code is %s", short(consumed), short(canonic))
	}
	if !errors.Is(err, codec.ErrNonCanonic) {
		return fmt.Errorf("the canonic decoder refuses the non-canonic %s with %v, want ErrNonCanonic", short(consumed), err)
	}
	return nil
}

func runPath(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.Code, mode)
	p, err := path.Decode(d)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: path.Encode(p)}
	r.check = canonicAgreement(c.Code[:r.consumed], r.absolute, func(d *codec.Decoder) (bool, error) {
		q, err := path.Decode(d)
		return q.Equal(p), err
	})
	return r
}

func decodeReferencePath(c conformance.Case) (path.Path, error) {
	if c.RelativeTo == nil {
		return path.Path{}, nil
	}
	d := codec.NewDecoder(c.RelativeTo, codec.Canonic)
	rel, err := path.Decode(d)
	if err == nil && d.Remaining() != 0 {
		err = fmt.Errorf("%d trailing bytes", d.Remaining())
	}
	if err != nil {
		return path.Path{}, fmt.Errorf("%w: path %s: %v", errReference, short(c.RelativeTo), err)
	}
	return rel, nil
}

func runPathRelative(c conformance.Case, mode codec.Mode) result {
	rel, err := decodeReferencePath(c)
	if err != nil {
		return result{err: err}
	}
	d := codec.NewDecoder(c.Code, mode)
	p, err := path.DecodeRelative(d, rel)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: path.Encode(p)}
	ours := path.AppendEncodeRelative(nil, p, rel)
	r.check = canonicAgreement(c.Code[:r.consumed], ours, func(d *codec.Decoder) (bool, error) {
		q, err := path.DecodeRelative(d, rel)
		return q.Equal(p), err
	})
	return r
}

func runPathExtends(c conformance.Case, mode codec.Mode) result {
	rel, err := decodeReferencePath(c)
	if err != nil {
		return result{err: err}
	}
	d := codec.NewDecoder(c.Code, mode)
	p, err := path.DecodeExtends(d, rel)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: path.Encode(p)}
	ours, err := path.AppendEncodeExtends(nil, p, rel)
	if err != nil {
		r.check = fmt.Errorf("cannot encode the decoded path relative to the reference: %v", err)
		return r
	}
	r.check = canonicAgreement(c.Code[:r.consumed], ours, func(d *codec.Decoder) (bool, error) {
		q, err := path.DecodeExtends(d, rel)
		return q.Equal(p), err
	})
	return r
}

func runEntry(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.Code, mode)
	e, err := entry.Decode(d)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: entry.Encode(e)}
	r.check = canonicAgreement(c.Code[:r.consumed], r.absolute, func(d *codec.Decoder) (bool, error) {
		f, err := entry.Decode(d)
		return f.Equal(e), err
	})
	return r
}

func runEntryRelative(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.RelativeTo, codec.Canonic)
	rel, err := entry.Decode(d)
	if err == nil && d.Remaining() != 0 {
		err = fmt.Errorf("%d trailing bytes", d.Remaining())
	}
	if err != nil {
		return result{err: fmt.Errorf("%w: entry %s: %v", errReference, short(c.RelativeTo), err)}
	}
	d = codec.NewDecoder(c.Code, mode)
	e, err := entry.DecodeRelative(d, rel)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: entry.Encode(e)}
	// No canonic function is defined: check that our (shortest) relative
	// code decodes back to the value.
	ours := entry.AppendEncodeRelative(nil, e, rel)
	back, err := entry.DecodeRelative(codec.NewDecoder(ours, codec.Relation), rel)
	if err != nil || !back.Equal(e) {
		r.check = fmt.Errorf("our relative code %s does not decode back (%v)", short(ours), err)
	}
	return r
}

func runAreaInArea(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.RelativeTo, codec.Relation)
	outer, err := conformance.DecodeArea(d)
	if err == nil && d.Remaining() != 0 {
		err = fmt.Errorf("%d trailing bytes", d.Remaining())
	}
	if err != nil {
		return result{err: fmt.Errorf("%w: area %s: %v", errReference, short(c.RelativeTo), err)}
	}
	d = codec.NewDecoder(c.Code, mode)
	a, err := grouping.DecodeAreaInArea(d, outer)
	if err != nil {
		return result{err: err}
	}
	r := result{consumed: d.Offset(), absolute: conformance.AppendArea(nil, a)}
	ours, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
	if err != nil {
		r.check = fmt.Errorf("cannot encode the decoded area relative to the reference: %v", err)
		return r
	}
	r.check = canonicAgreement(c.Code[:r.consumed], ours, func(d *codec.Decoder) (bool, error) {
		b, err := grouping.DecodeAreaInArea(d, outer)
		return b.Equal(a), err
	})
	return r
}

func runEntryIn3dRange(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.RelativeTo, codec.Relation)
	ns, err := d.Array32("namespace")
	var r grouping.Range3d
	if err == nil {
		r, err = conformance.DecodeRange3d(d)
	}
	if err == nil && d.Remaining() != 0 {
		err = fmt.Errorf("%d trailing bytes", d.Remaining())
	}
	if err != nil {
		return result{err: fmt.Errorf("%w: namespace and 3dRange %s: %v", errReference, short(c.RelativeTo), err)}
	}
	d = codec.NewDecoder(c.Code, mode)
	e, err := grouping.DecodeEntryInNamespace3dRange(d, ids.NamespaceID(ns), r)
	if err != nil {
		return result{err: err}
	}
	res := result{consumed: d.Offset(), absolute: entry.Encode(e)}
	// No canonic function is defined: our own code must decode back.
	ours, err := grouping.AppendEncodeEntryInNamespace3dRange(nil, e, r)
	if err != nil {
		res.check = fmt.Errorf("cannot encode the decoded entry in the 3dRange: %v", err)
		return res
	}
	back, err := grouping.DecodeEntryInNamespace3dRange(codec.NewDecoder(ours, codec.Canonic), ids.NamespaceID(ns), r)
	if err != nil || !back.Equal(e) {
		res.check = fmt.Errorf("our code %s does not decode back (%v)", short(ours), err)
	}
	return res
}

func run3dRangeRelative(c conformance.Case, mode codec.Mode) result {
	d := codec.NewDecoder(c.RelativeTo, codec.Relation)
	r, err := conformance.DecodeRange3d(d)
	if err == nil && d.Remaining() != 0 {
		err = fmt.Errorf("%d trailing bytes", d.Remaining())
	}
	if err != nil {
		return result{err: fmt.Errorf("%w: 3dRange %s: %v", errReference, short(c.RelativeTo), err)}
	}
	d = codec.NewDecoder(c.Code, mode)
	v, err := grouping.Decode3dRangeRelative3dRange(d, r)
	if err != nil {
		return result{err: err}
	}
	res := result{consumed: d.Offset(), absolute: conformance.AppendRange3d(nil, v)}
	ours := grouping.AppendEncode3dRangeRelative3dRange(nil, v, r)
	back, err := grouping.Decode3dRangeRelative3dRange(codec.NewDecoder(ours, codec.Canonic), r)
	if err != nil || !range3dEqual(back, v) {
		res.check = fmt.Errorf("our code %s does not decode back (%v)", short(ours), err)
	}
	return res
}

func range3dEqual(a, b grouping.Range3d) bool {
	return a.Subspaces.Equal(b.Subspaces) && a.Paths.Equal(b.Paths) && a.Times.Equal(b.Times)
}

func short(b []byte) string {
	if b == nil {
		return "<none>"
	}
	if len(b) > 48 {
		return hex.EncodeToString(b[:48]) + fmt.Sprintf("…(%d bytes)", len(b))
	}
	if len(b) == 0 {
		return "<empty>"
	}
	return hex.EncodeToString(b)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), "") }

func listFolders(root string) ([]string, error) {
	entries, err := readDir(root)
	if err != nil {
		return nil, err
	}
	sort.Strings(entries)
	return entries, nil
}

package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/core/uri"
)

// uriUsage is the help text of the uri command.
const uriUsage = "uri parse URI | uri format   Willow URIs: URI → JSON, JSON on stdin → canonical URI"

// uriJSON is the JSON form of a Willow URI that `willow uri parse` prints and
// `willow uri format` reads. Numbers are exact u64 JSON numbers.
//
// On input: kind, namespace and subspace are required; the path is given as
// hex components ("path") or as URI path text ("path_display", dot-segments
// and percent-encoding allowed), and both must agree if both are given; an
// omitted count or size means unlimited (2^64−1), an omitted time_from 0, an
// omitted time_to an open time range; "canonical" is ignored.
type uriJSON struct {
	Kind        string   `json:"kind"`                   // "entry" or "area"
	Canonical   string   `json:"canonical,omitempty"`    // the canonical URI (output only)
	Namespace   string   `json:"namespace"`              // +hex (communal) or -hex (owned)
	Subspace    string   `json:"subspace"`               // hex
	Path        []string `json:"path"`                   // components in hex
	PathDisplay *string  `json:"path_display,omitempty"` // the path as in the canonical URI
	Digest      string   `json:"digest,omitempty"`       // entry: expected payload digest
	From        *uint64  `json:"from,omitempty"`         // entry: payload start index
	To          *uint64  `json:"to,omitempty"`           // entry: payload end index
	Count       *uint64  `json:"count,omitempty"`        // area: max count
	Size        *uint64  `json:"size,omitempty"`         // area: max size
	TimeFrom    *uint64  `json:"time_from,omitempty"`    // area: time range start
	TimeTo      *uint64  `json:"time_to,omitempty"`      // area: time range end (absent: open)
	Hints       []string `json:"hints,omitempty"`
	Fragment    *string  `json:"fragment,omitempty"` // absent: no fragment
}

func runURI(args []string, stdin io.Reader, stdout io.Writer) error {
	const usage = "usage: willow uri parse URI | willow uri format < JSON"
	switch {
	case len(args) == 2 && args[0] == "parse":
		u, err := uri.Parse(args[1])
		if err != nil {
			return err
		}
		j, err := toJSON(u)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(j)
	case len(args) == 1 && args[0] == "format":
		dec := json.NewDecoder(stdin)
		dec.DisallowUnknownFields()
		var j uriJSON
		if err := dec.Decode(&j); err != nil {
			return fmt.Errorf("reading JSON from stdin: %w", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return errors.New("reading JSON from stdin: more than one JSON value")
		}
		u, err := fromJSON(j)
		if err != nil {
			return err
		}
		s, err := u.Format()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, s)
		return err
	}
	return errors.New(usage)
}

func toJSON(u uri.URI) (uriJSON, error) {
	canonical, err := u.Format()
	if err != nil {
		return uriJSON{}, err
	}
	var j uriJSON
	j.Canonical = canonical
	var ns ids.NamespaceID
	var ss ids.SubspaceID
	var p path.Path
	var fragment string
	var hasFragment bool
	switch u := u.(type) {
	case uri.EntryURI:
		j.Kind, ns, ss, p, j.Hints, fragment, hasFragment = "entry", u.Namespace, u.Subspace, u.Path, u.Hints, u.Fragment, u.HasFragment
		if u.HasDigest {
			j.Digest = u.Digest.String()
		}
		if u.Range.HasFrom {
			j.From = &u.Range.From
		}
		if u.Range.HasTo {
			j.To = &u.Range.To
		}
	case uri.AreaURI:
		j.Kind, ns, ss, p, j.Hints, fragment, hasFragment = "area", u.Namespace, u.Subspace, u.Path, u.Hints, u.Fragment, u.HasFragment
		start := uint64(u.Times.Start())
		j.Count, j.Size, j.TimeFrom = &u.MaxCount, &u.MaxSize, &start
		if end, closed := u.Times.End(); closed {
			e := uint64(end)
			j.TimeTo = &e
		}
	}
	j.Namespace, j.Subspace = ns.String(), ss.String()
	j.Path = make([]string, p.Len())
	for i := range j.Path {
		j.Path[i] = hex.EncodeToString(p.Component(i))
	}
	display := string(uri.AppendPath(nil, p))
	j.PathDisplay = &display
	if hasFragment {
		j.Fragment = &fragment
	}
	return j, nil
}

func fromJSON(j uriJSON) (uri.URI, error) {
	ns, err := ids.ParseNamespaceID(j.Namespace)
	if err != nil {
		return nil, fmt.Errorf("JSON field namespace: %w", err)
	}
	ss, err := ids.ParseSubspaceID(j.Subspace)
	if err != nil {
		return nil, fmt.Errorf("JSON field subspace: %w", err)
	}
	p, err := jsonPath(j)
	if err != nil {
		return nil, err
	}
	fragment, hasFragment := "", j.Fragment != nil
	if hasFragment {
		fragment = *j.Fragment
	}
	switch j.Kind {
	case "entry":
		if j.Count != nil || j.Size != nil || j.TimeFrom != nil || j.TimeTo != nil {
			return nil, errors.New("JSON: count, size, time_from and time_to belong to area URIs, not entry URIs")
		}
		e := uri.EntryURI{Namespace: ns, Subspace: ss, Path: p, Hints: j.Hints, Fragment: fragment, HasFragment: hasFragment}
		if j.Digest != "" {
			if e.Digest, err = ids.ParsePayloadDigest(j.Digest); err != nil {
				return nil, fmt.Errorf("JSON field digest: %w", err)
			}
			e.HasDigest = true
		}
		if j.From != nil {
			e.Range.From, e.Range.HasFrom = *j.From, true
		}
		if j.To != nil {
			e.Range.To, e.Range.HasTo = *j.To, true
		}
		return e, nil
	case "area":
		if j.Digest != "" || j.From != nil || j.To != nil {
			return nil, errors.New("JSON: digest, from and to belong to entry URIs, not area URIs (use time_from, time_to)")
		}
		a := uri.AreaURI{Namespace: ns, Subspace: ss, Path: p, Hints: j.Hints, Fragment: fragment, HasFragment: hasFragment,
			MaxCount: grouping.Unlimited, MaxSize: grouping.Unlimited}
		if j.Count != nil {
			a.MaxCount = *j.Count
		}
		if j.Size != nil {
			a.MaxSize = *j.Size
		}
		var start entry.Timestamp
		if j.TimeFrom != nil {
			start = entry.Timestamp(*j.TimeFrom)
		}
		a.Times = grouping.NewOpenRange(start)
		if j.TimeTo != nil {
			if a.Times, err = grouping.NewClosedRange(start, entry.Timestamp(*j.TimeTo)); err != nil {
				return nil, fmt.Errorf("JSON fields time_from, time_to: %w", err)
			}
		}
		return a, nil
	}
	return nil, fmt.Errorf("JSON field kind: want \"entry\" or \"area\", got %q", j.Kind)
}

// jsonPath reads the path from the hex components, the display text, or
// both (which must then agree).
func jsonPath(j uriJSON) (path.Path, error) {
	var fromHex, fromDisplay path.Path
	if j.Path != nil {
		comps := make([][]byte, len(j.Path))
		for i, c := range j.Path {
			b, err := hex.DecodeString(c)
			if err != nil {
				return path.Path{}, fmt.Errorf("JSON field path, component %d: %w", i, err)
			}
			comps[i] = b
		}
		p, err := path.New(comps...)
		if err != nil {
			return path.Path{}, fmt.Errorf("JSON field path: %w", err)
		}
		fromHex = p
	}
	if j.PathDisplay != nil {
		p, err := uri.ParsePath(*j.PathDisplay)
		if err != nil {
			return path.Path{}, fmt.Errorf("JSON field path_display: %w", err)
		}
		fromDisplay = p
		if j.Path != nil && !p.Equal(fromHex) {
			return path.Path{}, fmt.Errorf("JSON fields path and path_display disagree: %s vs %s",
				string(uri.AppendPath(nil, fromHex)), *j.PathDisplay)
		}
	}
	if j.Path != nil {
		return fromHex, nil
	}
	return fromDisplay, nil
}

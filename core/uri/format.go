package uri

import (
	"strconv"

	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// Format returns the canonical code of u:
//
//	willow://<ns>.<ss><path>[?digest=…&from=…&to=…&hints=…][#fragment]
//
// with the parameters in this fixed order and only those that are present
// after PayloadRange.Canonical. It fails only for a bad hint (ErrHint).
func (u EntryURI) Format() (string, error) {
	b := appendHost(nil, u.Namespace, u.Subspace, u.Path)
	var err error
	// Decision: fixed order digest, from, to, hints. The spec allows any
	// order; the identifying parameters come first and the long, advisory
	// hints last.
	sep := byte('?')
	param := func(name string) {
		b = append(b, sep)
		b = append(b, name...)
		b = append(b, '=')
		sep = '&'
	}
	if u.HasDigest {
		param("digest")
		b = append(b, u.Digest.String()...)
	}
	r := u.Range.Canonical()
	if r.HasFrom {
		param("from")
		b = strconv.AppendUint(b, r.From, 10)
	}
	if r.HasTo {
		param("to")
		b = strconv.AppendUint(b, r.To, 10)
	}
	if len(u.Hints) > 0 {
		param("hints")
		if b, err = appendHints(b, u.Hints); err != nil {
			return "", err
		}
	}
	return string(appendFragment(b, u.Fragment, u.HasFragment)), nil
}

// Format returns the canonical code of a:
//
//	willow://<ns>.<ss><path>?area[&count=…&size=…&from=…&to=…&hints=…][#fragment]
//
// with the parameters in this fixed order, count and size only when not
// grouping.Unlimited, from only when not 0 and to only for a closed time
// range. It fails for MaxCount 0 (ErrEmptyArea) and bad hints (ErrHint).
func (a AreaURI) Format() (string, error) {
	b := appendHost(nil, a.Namespace, a.Subspace, a.Path)
	var err error
	// Decision: emit "?area" (the spec's examples and margin note), not the
	// "&area" of its byte list, which RFC 3986 would read as part of the
	// last path component.
	b = append(b, "?area"...)
	param := func(name string, v uint64) {
		b = append(b, '&')
		b = append(b, name...)
		b = append(b, '=')
		b = strconv.AppendUint(b, v, 10)
	}
	// Decision: an omitted count= or size= means grouping.Unlimited (2^64−1),
	// so they are written only for other values. The spec lets them be
	// omitted when 0, from the time when 0 meant "no limit"; the data model
	// now uses 2^64−1 for that, and "?area" must keep meaning the whole area.
	if a.MaxCount == 0 {
		return "", formatErr(ErrEmptyArea, "max count 0 includes no entry (use grouping.Unlimited for no limit)")
	}
	if a.MaxCount != grouping.Unlimited {
		param("count", a.MaxCount)
	}
	if a.MaxSize != grouping.Unlimited {
		// Decision: the spec's byte list spells this "sipe=" (a typo); we
		// write "size=" like its examples, and accept both.
		param("size", a.MaxSize)
	}
	if start := a.Times.Start(); start != 0 {
		param("from", uint64(start))
	}
	if end, closed := a.Times.End(); closed {
		param("to", uint64(end))
	}
	if len(a.Hints) > 0 {
		b = append(b, "&hints="...)
		if b, err = appendHints(b, a.Hints); err != nil {
			return "", err
		}
	}
	return string(appendFragment(b, a.Fragment, a.HasFragment)), nil
}

// String returns the canonical code, or "willow:invalid(<error>)" if u has
// none.
func (u EntryURI) String() string { return stringOf(u.Format()) }

// String returns the canonical code, or "willow:invalid(<error>)" if a has
// none.
func (a AreaURI) String() string { return stringOf(a.Format()) }

func stringOf(s string, err error) string {
	if err != nil {
		return "willow:invalid(" + err.Error() + ")"
	}
	return s
}

// Format returns the canonical code of an EntryURI or AreaURI; it is
// u.Format().
func Format(u URI) (string, error) { return u.Format() }

func appendHost(b []byte, ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) []byte {
	b = append(b, "willow://"...)
	b = append(b, ns.String()...) // '+' or '-' and lowercase hex
	b = append(b, '.')
	b = append(b, ss.String()...)
	return AppendPath(b, p)
}

// AppendPath appends the canonical URI code of a path: "/" and the
// percent-encoded component for each component, nothing for the empty path.
// A component that is exactly "." or ".." is written %2E or %2E%2E.
func AppendPath(b []byte, p path.Path) []byte {
	for i := 0; i < p.Len(); i++ {
		b = append(b, '/')
		switch c := p.Component(i); string(c) {
		case ".", "..":
			// Decision: percent_encode never escapes '.', so components "."
			// and ".." would read back as dot-segments. We escape every dot
			// of such components, and treat only the literal, unescaped
			// "." and ".." as dot-segments when parsing.
			for range c {
				b = append(b, "%2E"...)
			}
		default:
			b = appendPercentEncode(b, string(c))
		}
	}
	return b
}

func appendHints(b []byte, hints []string) ([]byte, error) {
	for i, h := range hints {
		if why := checkHint(h); why != "" {
			return nil, formatErr(ErrHint, "hint "+strconv.Itoa(i)+": "+why)
		}
		if i > 0 {
			b = append(b, ';')
		}
		b = appendPercentEncode(b, h)
	}
	return b, nil
}

func appendFragment(b []byte, f string, has bool) []byte {
	if !has {
		return b
	}
	b = append(b, '#')
	return append(b, FragmentEncode(f)...)
}

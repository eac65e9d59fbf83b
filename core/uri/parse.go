package uri

import (
	"strconv"
	"strings"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

const scheme = "willow://"

// Parse parses a Willow URI and returns an EntryURI or an AreaURI (an area
// URI is one whose query starts with "area"). Failures are *Error values
// whose Kind says why and whose Offset says where.
//
// Parse accepts: the scheme in any case; either hex case in ids, digests and
// percent-encodings; dot-segments (resolved as the spec says: only the
// literal, unescaped "." and ".." are dot-segments); unescaped
// sub-delimiters, ':' and '@' in path components and /?:@ and
// sub-delimiters in hints (RFC 3986 allows them there); parameters in any
// order, with leading zeros; "&area" right after the path as well as
// "?area"; "sipe=" as well as "size=". Values are kept as written (from > to
// included, see PayloadRange.Slice); Format writes the canonical form.
func Parse(s string) (URI, error) {
	u, err := parse(s)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ParseEntry parses an entry URI; an area URI is an error of kind
// ErrWrongKind.
func ParseEntry(s string) (EntryURI, error) {
	u, err := parse(s)
	if err != nil {
		return EntryURI{}, err
	}
	e, ok := u.(EntryURI)
	if !ok {
		return EntryURI{}, parseErr(ErrWrongKind, 0, "want an entry URI, got an area URI")
	}
	return e, nil
}

// ParseArea parses an area URI; an entry URI is an error of kind
// ErrWrongKind.
func ParseArea(s string) (AreaURI, error) {
	u, err := parse(s)
	if err != nil {
		return AreaURI{}, err
	}
	a, ok := u.(AreaURI)
	if !ok {
		return AreaURI{}, parseErr(ErrWrongKind, 0, "want an area URI, got an entry URI")
	}
	return a, nil
}

// ParsePath parses the path part of a Willow URI ("" or "/comp/comp…",
// percent-encoded, dot-segments allowed) into the Path it identifies.
func ParsePath(s string) (path.Path, error) {
	if s != "" && s[0] != '/' {
		return path.Path{}, parseErr(ErrCharacter, 0, "a non-empty path starts with /")
	}
	p, err := parsePath(s, 0)
	if err != nil {
		return path.Path{}, err
	}
	return p, nil
}

func parse(s string) (URI, *Error) {
	if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
		// Decision: relative references are out of scope.
		return nil, parseErr(ErrScheme, 0, "want willow://<namespace>.<subspace>…; relative references and other schemes are not supported")
	}
	end := len(s)
	var fragment string
	hasFragment := false
	if i := strings.IndexByte(s, '#'); i >= 0 {
		fragment, hasFragment, end = s[i+1:], true, i
		// Decision: the fragment is kept as written (it must be
		// fragment-safe): fragment_encode keeps existing percent encodings,
		// so "%0A" and a newline byte encode alike and a decoder cannot tell
		// them apart. The fragment-safe text is the one faithful value.
		if err := checkFragment(fragment, i+1); err != nil {
			return nil, err
		}
	}
	base := len(scheme)
	body := s[base:end]
	q := strings.IndexByte(body, '?')
	if q < 0 {
		// Decision: the spec's byte list writes "&area" right after the path
		// (its examples write "?area"). Without a '?', an "&area" followed by
		// '&' or the end starts the area query.
		q = ampArea(body)
	}
	hier, query := body, ""
	if q >= 0 {
		hier, query = body[:q], body[q+1:]
	}
	auth, pathText := hier, ""
	if i := strings.IndexByte(hier, '/'); i >= 0 {
		auth, pathText = hier[:i], hier[i:]
	}
	ns, ss, err := parseHost(auth, base)
	if err != nil {
		return nil, err
	}
	p, err := parsePath(pathText, base+len(auth))
	if err != nil {
		return nil, err
	}
	var params []param
	if q >= 0 {
		if params, err = splitQuery(query, base+q+1); err != nil {
			return nil, err
		}
	}
	if len(params) > 0 && params[0].flag {
		a := AreaURI{Namespace: ns, Subspace: ss, Path: p, Fragment: fragment, HasFragment: hasFragment}
		if err := a.setParams(params[1:]); err != nil {
			return nil, err
		}
		return a, nil
	}
	e := EntryURI{Namespace: ns, Subspace: ss, Path: p, Fragment: fragment, HasFragment: hasFragment}
	if err := e.setParams(params); err != nil {
		return nil, err
	}
	return e, nil
}

// ampArea returns the index of the first "&area" in s that is followed by
// '&' or the end of s, or -1.
func ampArea(s string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], "&area")
		if j < 0 {
			return -1
		}
		k := i + j
		if after := k + len("&area"); after == len(s) || s[after] == '&' {
			return k
		}
		i = k + 1
	}
}

func parseHost(auth string, base int) (ids.NamespaceID, ids.SubspaceID, *Error) {
	var ns ids.NamespaceID
	var ss ids.SubspaceID
	if auth == "" {
		return ns, ss, parseErr(ErrHost, base, "empty host; want <namespace>.<subspace>")
	}
	for i := 0; i < len(auth); i++ {
		switch auth[i] {
		case '@':
			return ns, ss, parseErr(ErrHost, base+i, "userinfo (@) is not allowed")
		case ':':
			return ns, ss, parseErr(ErrHost, base+i, "a port (:) is not allowed")
		case '%':
			return ns, ss, parseErr(ErrHost, base+i, "percent-encoding is not allowed in the host")
		}
	}
	dot := strings.IndexByte(auth, '.')
	if dot < 0 {
		return ns, ss, parseErr(ErrHost, base, "no '.' between namespace and subspace")
	}
	nsText, ssText := auth[:dot], auth[dot+1:]
	if nsText == "" || (nsText[0] != '+' && nsText[0] != '-') {
		return ns, ss, parseErr(ErrNamespace, base, "want + (communal) or - (owned) before the hex digits")
	}
	b, err := hex32(nsText[1:], base+1, ErrNamespace)
	if err != nil {
		return ns, ss, err
	}
	ns = ids.NamespaceID(b)
	if communal := nsText[0] == '+'; communal != ns.IsCommunal() {
		kind := "owned (last byte odd), so it is written -"
		if ns.IsCommunal() {
			kind = "communal (last byte even), so it is written +"
		}
		return ns, ss, parseErr(ErrNamespace, base, "wrong sign "+nsText[:1]+": the namespace is "+kind)
	}
	b, err = hex32(ssText, base+dot+1, ErrSubspace)
	if err != nil {
		return ns, ss, err
	}
	return ns, ids.SubspaceID(b), nil
}

// hex32 decodes exactly 64 hex digits (either case).
func hex32(s string, base int, kind ErrorKind) ([32]byte, *Error) {
	var out [32]byte
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return out, parseErr(kind, base+i, "byte "+quoteByte(s[i])+" is not a hex digit")
		}
	}
	if len(s) != 64 {
		return out, parseErr(kind, base, "want 64 hex digits, got "+strconv.Itoa(len(s)))
	}
	for i := range out {
		out[i] = unhex(s[2*i])<<4 | unhex(s[2*i+1])
	}
	return out, nil
}

// isPathByte reports whether c may appear unescaped in a path segment: an
// RFC 3986 pchar other than a percent encoding.
func isPathByte(c byte) bool { return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' }

// parsePath parses "" or "/seg/seg…" starting at byte base of the input,
// percent-decodes the segments and resolves dot-segments as the spec says:
// for the leftmost dot-segment, "." is removed, and ".." is removed together
// with the component before it, if any. Only the literal "." and ".." are
// dot-segments; "%2E" is an ordinary dot byte.
//
// Note: RFC 3986's remove_dot_segments would turn /blog/ideas/.. into
// /blog/ (with an empty last segment); the spec's procedure and examples give
// [blog], and the spec wins.
func parsePath(text string, base int) (path.Path, *Error) {
	if text == "" {
		return path.Path{}, nil
	}
	var comps [][]byte
	for off := 0; off < len(text); { // text[off] == '/'
		seg := text[off+1:]
		if j := strings.IndexByte(seg, '/'); j >= 0 {
			seg = seg[:j]
		}
		switch seg {
		case ".":
		case "..":
			if len(comps) > 0 {
				comps = comps[:len(comps)-1]
			}
		default:
			dec, err := decodeChecked(seg, base+off+1, isPathByte, ErrCharacter, "must be percent-encoded in a path")
			if err != nil {
				return path.Path{}, err
			}
			comps = append(comps, []byte(dec))
		}
		off += 1 + len(seg)
	}
	p, err := path.New(comps...)
	if err != nil {
		return path.Path{}, &Error{Kind: ErrPathLimit, Offset: base, Detail: "after resolving dot-segments", Err: err}
	}
	return p, nil
}

// param is one query parameter: name=value, or a flag (area) without '='.
type param struct {
	name, value   string
	flag          bool
	off, valueOff int // byte offsets of the name and the value in the input
}

func splitQuery(q string, base int) ([]param, *Error) {
	// Decision: the spec joins non-empty parameters with '&' with neither
	// leading nor trailing '&', and writes '?' only before a non-empty
	// query, so an empty query or parameter is refused.
	if q == "" {
		return nil, parseErr(ErrQuery, base-1, "empty query after '?'")
	}
	for i := 0; i < len(q); i++ {
		if c := q[i]; c != '%' && !isQuerySafeByte(c) {
			return nil, parseErr(ErrCharacter, base+i, "byte "+quoteByte(c)+" must be percent-encoded in a query")
		}
	}
	var params []param
	for off := 0; off <= len(q); {
		raw := q[off:]
		if j := strings.IndexByte(raw, '&'); j >= 0 {
			raw = raw[:j]
		}
		p := param{off: base + off}
		if raw == "" {
			return nil, parseErr(ErrQuery, p.off, "empty parameter (leading, trailing or doubled '&')")
		}
		if eq := strings.IndexByte(raw, '='); eq >= 0 {
			p.name, p.value, p.valueOff = raw[:eq], raw[eq+1:], p.off+eq+1
			if p.name == "area" {
				return nil, parseErr(ErrQuery, p.off, "area takes no value")
			}
		} else if raw == "area" {
			p.name, p.flag = raw, true
		} else {
			return nil, parseErr(ErrQuery, p.off, "parameter "+strconv.Quote(raw)+" has no '='")
		}
		params = append(params, p)
		off += len(raw) + 1
	}
	for i, p := range params {
		if p.flag && i > 0 {
			if params[0].flag {
				return nil, parseErr(ErrDuplicateParameter, p.off, "area given twice")
			}
			return nil, parseErr(ErrQuery, p.off, "area must be the first query parameter")
		}
	}
	return params, nil
}

// seen tracks which parameters occurred, for refusing duplicates.
type seen map[string]bool

// once reports a duplicate parameter; canonical is the parameter's one name
// (size for sipe).
func (s seen) once(p param, canonical string) *Error {
	// Decision: a parameter given twice is refused, even with equal values:
	// there is no rule for which one wins.
	if s[canonical] {
		return parseErr(ErrDuplicateParameter, p.off, p.name+" given twice")
	}
	s[canonical] = true
	return nil
}

func (u *EntryURI) setParams(params []param) *Error {
	s := seen{}
	for _, p := range params {
		if err := s.once(p, p.name); err != nil {
			return err
		}
		var err *Error
		switch p.name {
		case "digest":
			var d [32]byte
			d, err = hex32(p.value, p.valueOff, ErrDigest)
			u.Digest, u.HasDigest = ids.PayloadDigest(d), true
		case "from":
			u.Range.From, err = parseU64(p.value, p.valueOff)
			u.Range.HasFrom = true
		case "to":
			u.Range.To, err = parseU64(p.value, p.valueOff)
			u.Range.HasTo = true
		case "hints":
			u.Hints, err = parseHints(p.value, p.valueOff)
		case "count", "size", "sipe":
			return parseErr(ErrUnknownParameter, p.off, p.name+" is a parameter of area URIs only (their query starts with area)")
		default:
			// Decision: unknown parameters are refused, not ignored: one
			// might narrow what the URI identifies, and ignoring it would
			// silently identify more.
			return parseErr(ErrUnknownParameter, p.off, strconv.Quote(p.name)+" (entry URIs have digest, from, to, hints)")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *AreaURI) setParams(params []param) *Error {
	s := seen{}
	a.MaxCount, a.MaxSize = grouping.Unlimited, grouping.Unlimited
	var from, to uint64
	hasTo, toOff := false, 0
	for _, p := range params {
		canonical := p.name
		if canonical == "sipe" {
			// Decision: "sipe" is the spec byte list's typo for "size";
			// accepted as the same parameter, never written.
			canonical = "size"
		}
		if err := s.once(p, canonical); err != nil {
			return err
		}
		var err *Error
		switch canonical {
		case "count":
			if a.MaxCount, err = parseU64(p.value, p.valueOff); err == nil && a.MaxCount == 0 {
				// Decision: count=0 would include no entry (the data model's
				// 2^64−1 rule); refused rather than read as "no limit", so
				// it cannot be silently misread either way. Omit count for
				// no limit.
				return parseErr(ErrEmptyArea, p.off, "count=0 includes no entry; omit count for no limit")
			}
		case "size":
			a.MaxSize, err = parseU64(p.value, p.valueOff)
		case "from":
			from, err = parseU64(p.value, p.valueOff)
		case "to":
			to, err = parseU64(p.value, p.valueOff)
			hasTo, toOff = true, p.off
		case "hints":
			a.Hints, err = parseHints(p.value, p.valueOff)
		case "digest":
			return parseErr(ErrUnknownParameter, p.off, "digest is a parameter of entry URIs only")
		default:
			return parseErr(ErrUnknownParameter, p.off, strconv.Quote(p.name)+" (area URIs have count, size, from, to, hints)")
		}
		if err != nil {
			return err
		}
	}
	a.Times = grouping.NewOpenRange(entry.Timestamp(from))
	if hasTo {
		// Decision: groupings are never empty, so to ≤ from is refused
		// (unlike an entry URI's payload indices, which are clamped).
		r, err := grouping.NewClosedRange(entry.Timestamp(from), entry.Timestamp(to))
		if err != nil {
			return &Error{Kind: ErrEmptyArea, Offset: toOff, Detail: "time range to=" + strconv.FormatUint(to, 10) +
				" is not after from=" + strconv.FormatUint(from, 10), Err: err}
		}
		a.Times = r
	}
	return nil
}

// parseU64 parses ASCII decimal digits, leading zeros allowed.
func parseU64(s string, base int) (uint64, *Error) {
	if s == "" {
		return 0, parseErr(ErrNumber, base, "empty value")
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, parseErr(ErrNumber, base+i, "byte "+quoteByte(c)+" is not a decimal digit")
		}
		d := uint64(c - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, parseErr(ErrOverflow, base, strconv.Quote(s))
		}
		n = n*10 + d
	}
	return n, nil
}

// parseHints splits at ';' and percent-decodes each hint.
func parseHints(s string, base int) ([]string, *Error) {
	var hints []string
	for off := 0; off <= len(s); {
		h := s[off:]
		if j := strings.IndexByte(h, ';'); j >= 0 {
			h = h[:j]
		}
		dec, err := decodeChecked(h, base+off, isQuerySafeByte, ErrCharacter, "must be percent-encoded in a hint")
		if err != nil {
			return nil, err
		}
		if why := checkHint(dec); why != "" {
			return nil, parseErr(ErrHint, base+off, why)
		}
		hints = append(hints, dec)
		off += len(h) + 1
	}
	return hints, nil
}

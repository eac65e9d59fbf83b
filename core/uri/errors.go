package uri

import "strconv"

// ErrorKind classifies a failed Parse or Format. Every *Error unwraps to its
// kind, so errors.Is(err, uri.ErrPercentEncoding) tests for one. The kinds
// are constants: nobody can change them.
type ErrorKind string

// Error returns the kind's description.
func (k ErrorKind) Error() string { return string(k) }

// The kinds of errors.
const (
	// ErrScheme: the text does not start with willow:// (relative
	// references are not supported).
	ErrScheme ErrorKind = "not a willow:// URI"
	// ErrHost: the authority is not <namespace>.<subspace> (missing dot,
	// userinfo, port, percent-encoding, empty).
	ErrHost ErrorKind = "malformed host"
	// ErrNamespace: the namespace id is not + or − followed by 64 hex
	// digits, or the sign contradicts the id (communal vs owned).
	ErrNamespace ErrorKind = "bad namespace id"
	// ErrSubspace: the subspace id is not 64 hex digits.
	ErrSubspace ErrorKind = "bad subspace id"
	// ErrCharacter: a byte that may not appear at its place (space, non-ASCII,
	// a reserved character outside its role …).
	ErrCharacter ErrorKind = "character not allowed here"
	// ErrPercentEncoding: a % not followed by two hex digits.
	ErrPercentEncoding ErrorKind = "bad percent-encoding"
	// ErrPathLimit: the path (after resolving dot-segments) exceeds the
	// Willow'25 limits; the *Error also wraps path.ErrLimit.
	ErrPathLimit ErrorKind = "path exceeds the Willow'25 limits"
	// ErrQuery: the query is malformed (empty query, empty parameter, a
	// parameter without =, area not first or with a value).
	ErrQuery ErrorKind = "malformed query"
	// ErrUnknownParameter: a parameter this kind of URI does not have.
	ErrUnknownParameter ErrorKind = "unknown query parameter"
	// ErrDuplicateParameter: a parameter given twice (size= and sipe= count
	// as the same parameter).
	ErrDuplicateParameter ErrorKind = "duplicate query parameter"
	// ErrNumber: an index, count, size or timestamp that is not a non-empty
	// string of ASCII decimal digits.
	ErrNumber ErrorKind = "not a decimal number"
	// ErrOverflow: a decimal number greater than 2^64−1.
	ErrOverflow ErrorKind = "number exceeds 2^64-1"
	// ErrDigest: the digest is not 64 hex digits.
	ErrDigest ErrorKind = "bad payload digest"
	// ErrHint: an empty hint, or one that is not valid UTF-8.
	ErrHint ErrorKind = "bad hint"
	// ErrFragment: the fragment holds a byte that is not fragment-safe.
	ErrFragment ErrorKind = "bad fragment"
	// ErrEmptyArea: the area of interest would include no entry (count 0,
	// or a time range whose end is not after its start).
	ErrEmptyArea ErrorKind = "area of interest would include no entry"
	// ErrAnySubspace: an area with any subspace has no Willow URI.
	ErrAnySubspace ErrorKind = "area with any subspace has no Willow URI"
	// ErrWrongKind: ParseEntry got an area URI or ParseArea an entry URI.
	ErrWrongKind ErrorKind = "wrong kind of Willow URI"
)

// Error is the error returned by every failed Parse and Format.
type Error struct {
	Kind   ErrorKind // what went wrong
	Offset int       // byte offset into the parsed text where it went wrong; -1 when formatting
	Detail string    // the specifics, for humans
	Err    error     // the underlying error, or nil
}

// Error renders the error on one line: kind, position, detail, cause.
func (e *Error) Error() string {
	s := "uri: " + string(e.Kind)
	if e.Offset >= 0 {
		s += " at byte " + strconv.Itoa(e.Offset)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the kind and the underlying error, for errors.Is and
// errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func parseErr(kind ErrorKind, offset int, detail string) *Error {
	return &Error{Kind: kind, Offset: offset, Detail: detail}
}

func formatErr(kind ErrorKind, detail string) *Error {
	return &Error{Kind: kind, Offset: -1, Detail: detail}
}

// Package uri parses and formats Willow URIs (willowprotocol.org/specs/uris)
// with the Willow'25 parameters.
//
// A Willow URI names either an Entry, optionally with a slice of its payload
// (an EntryURI), or an AreaOfInterest in a namespace (an AreaURI):
//
//	willow://+<namespace hex>.<subspace hex>/blog/idea.txt?digest=<hex>&from=5#about
//	willow://-<namespace hex>.<subspace hex>/blog?area&count=12&to=1000
//
// Parse accepts every code the spec admits (either hex case, any parameter
// order, leading zeros, dot-segments, `&area` as well as `?area`, …) plus a
// few harmless RFC 3986 spellings, and refuses everything else with an
// *Error whose Kind says why (errors.Is(err, ErrDuplicateParameter) …).
// Format writes the one canonical code of a value: lowercase ids, uppercase
// percent-encoding, no dot-segments, a fixed parameter order and no
// parameter that only repeats a default. The decisions about the spec's rough
// edges are listed in DECISIONS.md and repeated next to the code they shape.
//
// The package is pure Go and TinyGo-compatible: no reflection, no net/url,
// no goroutines, no global mutable state.
package uri

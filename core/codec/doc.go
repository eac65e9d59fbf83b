// Package codec holds what every Willow encoding shares: compact u64 tags
// (the "CompactU64" encodings of the Willow encodings page), a bounds-checked
// decoder over untrusted bytes, and the typed errors decoders return.
//
// Encoders append to a byte slice (AppendX(dst, …) []byte) so callers control
// allocation. Decoders read from a *Decoder, which knows whether it accepts
// every code of an encoding relation (Relation) or only the one code of the
// canonic encoding function (Canonic).
package codec

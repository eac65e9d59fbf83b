// Package meadowcap implements Meadowcap, the capability system of Willow,
// with the Willow'25 parameters: ed25519 namespace and user keys (32 bytes,
// identity encodings), ed25519 signatures (64 bytes) verified with the strict
// rules of ed25519_dalek's verify_strict, and is_communal(key) = the least
// significant bit of the key's last byte is 0.
//
// # Capabilities
//
// A [Capability] is the spec's McCapability: either a communal capability
// (the namespace is communal; authority stems from a subspace key) or an
// owned capability (the namespace is owned; authority stems from the
// namespace key's initial authorisation). Both carry an access mode (read or
// write) and a chain of delegations, each restricting the granted [grouping.Area]
// and handing the capability to a new user with a signature by the previous
// receiver over a "handover" message.
//
// Capabilities are immutable values: every field is unexported and accessors
// return copies. Build them with [NewCommunal], [NewOwned] (which signs the
// initial authorisation with the namespace secret), [Delegate] (which signs a
// handover with the current receiver's secret) or, for signatures made
// elsewhere, [NewOwnedWithAuthorisation] and [Capability.WithDelegation],
// which verify what they are given. Decoders produce capabilities whose
// signatures have not been checked; [Capability.Validate] checks everything
// the spec's validity requires.
//
// # Writing entries
//
// An [AuthorisationToken] (MeadowcapAuthorisationToken) pairs a write
// capability with the receiver's signature over encode_entry(entry).
// [Authorise] creates one, [CheckAuthorisedWrite] says why a token does not
// authorise an entry (a *[Error] wrapping one of the Err* kinds) and
// [IsAuthorisedWrite] is its boolean form. An [AuthorisedEntry] can only be
// built by verifying ([NewAuthorisedEntry]) or by explicitly trusting storage
// ([AuthorisedEntryFromTrustedStorage]).
//
// # Decisions where the spec is open
//
//   - Granted namespace: meadowcap_is_authorised_write does not list
//     "granted namespace == entry namespace". We check it anyway
//     ([ErrNamespaceMismatch]): without it a free communal capability for
//     namespace A would authorise its user's entries in any namespace B. The
//     relative token encoding cannot even express a different namespace.
//   - Keys are 32-byte strings, not curve points (the Willow'25 page says so
//     explicitly). Decoders accept any 32 bytes; a key that is no valid point
//     fails at signature verification. (willow-rs of 2025 refused namespace
//     keys that do not decompress already when decoding; no conformance
//     vector depends on that difference.)
//   - Absolute token encoding: the spec defines none. For storage we use
//     encode_mc_capability(capability) ‖ signature ([AppendEncodeToken]).
//   - EncodePrivateAreaAlmostInArea and the relative token encodings define
//     no canonic function. Our encoders pick the shortest code; between two
//     equally short time differences they pick "from start" (as the Rust
//     implementation does); they share as many delegations with the prior
//     token as possible.
//   - Contexts of the relative capability encodings: the first delegation
//     after the shared ones is encoded relative to ctx_{shared−1}, as the spec
//     says (willow-rs of September 2025 used ctx_{−1}; see spec-notes §9.2 #11).
//   - EncodeOwnedCapabilityRelative iterates "communal_cap_delegations" in
//     the spec text; that is a copy-paste slip for the owned capability's
//     delegations, which is what we encode.
//   - EncodePrivateAreaAlmostInArea writes "AreaSubspace != open"; it means
//     "!= any". Its decoder infers whether the end is open (there is no flag):
//     closed reference ⇒ closed; open reference ⇒ open iff !end_from_start.
//   - Enumeration capabilities are checked exactly as the spec defines their
//     validity, which does not mention is_communal.
package meadowcap

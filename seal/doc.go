// Package seal reads and writes sealed drops: age files
// (age-encryption.org/v1) whose plaintext is a drop in the Willow Drop
// Format.
//
// Sealing is plain age: [Seal] encrypts to any number of X25519 (age1…,
// subspace-derived ones included) or of hybrid post-quantum (age1pq1…)
// recipients — age refuses to mix the two kinds — or to one passphrase
// ([age.ScryptRecipient], which age requires to be the only recipient).
// [Open] decrypts with any identities. Both directions stream: age's STREAM
// construction authenticates 64 KiB chunks, so neither side holds more than a
// chunk of the drop, and a tampered chunk is refused before any byte of it is
// returned. Because the plaintext is released chunk by chunk, a consumer may
// already have read (authenticated) earlier chunks when a later one fails.
//
// Willow keys are age keys: a subspace id (an ed25519 public key) maps to an
// X25519 recipient by the birational map of Curve25519 (as libsodium's
// crypto_sign_ed25519_pk_to_curve25519), and its secret to the matching
// identity (the clamped first half of SHA-512 of the seed, as
// crypto_sign_ed25519_sk_to_curve25519). [SubspaceRecipient] and
// [SubspaceIdentity] give them as age values; package agekey derives them,
// and their age1… and AGE-SECRET-KEY-1… strings that the stock age command
// line reads, without importing age (for WebAssembly builds that leave
// sealing to a JavaScript age implementation).
//
// [Detect] tells sealed from plaintext drops by their first bytes: a sealed
// drop begins with the age header line "age-encryption.org/v1\n" (or, armored,
// "-----BEGIN AGE ENCRYPTED FILE-----"); a plaintext drop begins with 0x00 or
// an item header 01xxxxxx. The two overlap only for a plaintext drop whose
// first namespace id starts with the 21 bytes "ge-encryption.org/v1\n",
// which Detect reads as sealed (see README.md).
//
// Failures are typed: [ErrNotSealed], [ErrNoIdentity], [ErrWrongPassphrase],
// [ErrTampered] (with [ErrTruncated] as a refinement) and [ErrNotDrop]; test
// with errors.Is. Errors met while streaming the plaintext carry the same
// types, also through the drop package's readers.
package seal

package ids

// The Willow'25 well-known values. They are functions, not variables, so no
// caller can change them.

// DefaultNamespaceID is the Willow'25 default_namespace_id (communal).
func DefaultNamespaceID() NamespaceID {
	return NamespaceID{147, 78, 96, 33, 51, 158, 31, 1, 59, 169, 73, 0, 237, 194, 93, 141,
		116, 192, 180, 229, 115, 118, 137, 16, 174, 15, 80, 125, 140, 129, 115, 24}
}

// DefaultSubspaceID is the Willow'25 default_subspace_id (the same key).
func DefaultSubspaceID() SubspaceID { return SubspaceID(DefaultNamespaceID()) }

// DefaultSecretKey is the published secret of the default namespace and
// subspace id. Anyone can sign with it: it is for defaults, never for data.
func DefaultSecretKey() SecretKey {
	return SecretKey{94, 20, 172, 228, 210, 200, 2, 143, 200, 154, 143, 4, 118, 91, 25, 210,
		205, 117, 45, 145, 187, 55, 60, 12, 158, 212, 118, 39, 107, 92, 69, 65}
}

// DefaultPayloadDigest is WILLIAM3 of the empty payload.
func DefaultPayloadDigest() PayloadDigest {
	return PayloadDigest{150, 211, 76, 84, 120, 69, 130, 49, 227, 100, 118, 121, 82, 170, 234, 2,
		163, 29, 34, 3, 198, 111, 67, 101, 105, 46, 249, 31, 53, 16, 104, 210}
}

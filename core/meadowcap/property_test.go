package meadowcap

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// randU64 favours edge values.
func randU64(rng *rand.Rand) uint64 {
	switch rng.IntN(6) {
	case 0:
		return rng.Uint64N(4)
	case 1:
		return ^uint64(0) - rng.Uint64N(4)
	case 2:
		return rng.Uint64N(300)
	case 3:
		return rng.Uint64N(1 << 20)
	}
	return rng.Uint64()
}

func randKey(rng *rand.Rand) (k [32]byte) {
	for i := range k {
		k[i] = byte(rng.Uint32())
	}
	return k
}

func randSig(rng *rand.Rand) (s ids.Signature) {
	for i := range s {
		s[i] = byte(rng.Uint32())
	}
	return s
}

// narrow returns a random area included in a.
func narrow(rng *rand.Rand, a grouping.Area) grouping.Area {
	out := a
	if a.Subspace.IsAny() && rng.IntN(2) == 0 {
		out.Subspace = grouping.OnlySubspace(randKey(rng))
	}
	for range rng.IntN(3) {
		c := make([]byte, rng.IntN(4))
		for i := range c {
			c[i] = byte('a' + rng.IntN(3))
		}
		if p, err := out.Path.Append(c); err == nil {
			out.Path = p
		}
	}
	start := uint64(a.Times.Start())
	end, closed := a.Times.End()
	if !closed {
		s := start + min(randU64(rng), ^uint64(0)-start)
		if rng.IntN(2) == 0 || s == ^uint64(0) {
			out.Times = grouping.NewOpenRange(entry.Timestamp(s))
			return out
		}
		e := s + 1 + min(randU64(rng), ^uint64(0)-s-1)
		out.Times, _ = grouping.NewClosedRange(entry.Timestamp(s), entry.Timestamp(e))
		return out
	}
	span := uint64(end) - start
	s := start + rng.Uint64N(span)
	e := s + 1 + rng.Uint64N(uint64(end)-s)
	out.Times, _ = grouping.NewClosedRange(entry.Timestamp(s), entry.Timestamp(e))
	return out
}

// randCapability returns a capability with nested areas and random (invalid)
// signatures.
func randCapability(rng *rand.Rand) Capability {
	mode := AccessMode(rng.IntN(2))
	var c Capability
	if rng.IntN(2) == 0 {
		c = NewUncheckedCommunal(mode, randKey(rng), randKey(rng), nil)
	} else {
		c = NewUncheckedOwned(mode, randKey(rng), randKey(rng), randSig(rng), nil)
	}
	for range rng.IntN(6) {
		c = c.appendDelegation(NewDelegation(narrow(rng, c.GrantedArea()), randKey(rng), randSig(rng)))
	}
	return c
}

func TestCapabilityEncodingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var codes [][]byte
	var caps []Capability
	for i := 0; i < 2000; i++ {
		c := randCapability(rng)
		code, err := EncodeMcCapability(c)
		if err != nil {
			t.Fatalf("encode %d: %v", i, err)
		}
		// The kind-specific encoders give the same code, and refuse the other kind.
		own, errO := AppendEncodeOwnedCapability(nil, c)
		com, errC := AppendEncodeCommunalCapability(nil, c)
		if c.IsOwned() && (errO != nil || !bytes.Equal(own, code) || !errors.Is(errC, ErrNotEncodable)) ||
			!c.IsOwned() && (errC != nil || !bytes.Equal(com, code) || !errors.Is(errO, ErrNotEncodable)) {
			t.Fatalf("kind-specific encoders disagree for %d", i)
		}
		// Canonic round trip.
		d, err := decodeAllCanonic(code, DecodeMcCapability)
		if err != nil || !d.Equal(c) {
			t.Fatalf("round trip %d: %v", i, err)
		}
		// Prefix-freeness: followed by another code, the decoder stops exactly
		// at the end of this one.
		if len(codes) > 0 {
			other := codes[rng.IntN(len(codes))]
			dec := codec.NewDecoder(append(append([]byte(nil), code...), other...), codec.Canonic)
			if got, err := DecodeMcCapability(dec); err != nil || !got.Equal(c) || dec.Offset() != len(code) {
				t.Fatalf("code %d is not self-delimiting: %v", i, err)
			}
		}
		// Every proper prefix fails.
		for j := 0; j < len(code); j += 1 + j/8 {
			if _, err := DecodeMcCapability(codec.NewDecoder(code[:j], codec.Relation)); err == nil {
				t.Fatalf("code %d: prefix of %d bytes decodes", i, j)
			}
		}
		// A non-minimal delegation-count tag (the 1-byte tag 60) is a code of
		// the relation but not canonic.
		// (Random capabilities have at most 5 delegations, so the minimal tag
		// is inline and the count bytes start right after the fixed fields.)
		fixed := 65
		if c.IsOwned() {
			fixed = 129
		}
		alt := append([]byte{code[0]&0xc0 | 60}, code[1:fixed]...)
		alt = append(append(alt, byte(c.NumDelegations())), code[fixed:]...)
		if got, err := decodeAll(alt, DecodeMcCapability); err != nil || !got.Equal(c) {
			t.Fatalf("code %d: non-minimal count tag not accepted by the relation: %v", i, err)
		}
		if _, err := decodeAllCanonic(alt, DecodeMcCapability); !errors.Is(err, codec.ErrNonCanonic) {
			t.Fatalf("code %d: non-minimal count tag accepted canonically: %v", i, err)
		}
		// The absolute token encoding.
		tok := NewAuthorisationToken(c, randSig(rng))
		tcode, err := AppendEncodeToken(nil, tok)
		mustNoErr(t, err)
		if got, err := decodeAllCanonic(tcode, DecodeToken); err != nil || !got.Equal(tok) {
			t.Fatalf("token round trip %d: %v", i, err)
		}
		codes = append(codes, code)
		caps = append(caps, c)
	}
	// No code is a proper prefix of another.
	for i := range codes {
		for j := range codes {
			if len(codes[i]) < len(codes[j]) && bytes.HasPrefix(codes[j], codes[i]) {
				t.Fatalf("code %d is a prefix of code %d", i, j)
			}
		}
	}
	// Equal codes only for equal capabilities (injectivity on this sample).
	seen := map[string]int{}
	for i, code := range codes {
		if j, ok := seen[string(code)]; ok && !caps[i].Equal(caps[j]) {
			t.Fatalf("capabilities %d and %d share a code", i, j)
		}
		seen[string(code)] = i
	}
}

func TestEnumerationEncodingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var codes [][]byte
	for i := 0; i < 300; i++ {
		ds := make([]EnumerationDelegation, rng.IntN(4))
		for j := range ds {
			ds[j] = NewEnumerationDelegation(randKey(rng), randSig(rng))
		}
		c := NewUncheckedEnumerationCapability(randKey(rng), randKey(rng), randSig(rng), ds)
		code := AppendEncodeMcEnumerationCapability(nil, c)
		if got, err := decodeAllCanonic(code, DecodeMcEnumerationCapability); err != nil || !got.Equal(c) {
			t.Fatalf("round trip %d: %v", i, err)
		}
		for j := 0; j < len(code); j++ {
			if _, err := DecodeMcEnumerationCapability(codec.NewDecoder(code[:j], codec.Relation)); err == nil {
				t.Fatalf("prefix %d of code %d decodes", j, i)
			}
		}
		// The count with a 2-byte tag: the relation accepts it, canonic does not.
		alt := append(append(append([]byte(nil), code[:128]...), 0xfd, 0x00, byte(len(ds))), code[129:]...)
		if got, err := decodeAll(alt, DecodeMcEnumerationCapability); err != nil || !got.Equal(c) {
			t.Fatalf("non-minimal count: %v", err)
		}
		if _, err := decodeAllCanonic(alt, DecodeMcEnumerationCapability); !errors.Is(err, codec.ErrNonCanonic) {
			t.Fatalf("non-minimal count accepted canonically: %v", err)
		}
		codes = append(codes, code)
	}
	for i := range codes {
		for j := range codes {
			if len(codes[i]) < len(codes[j]) && bytes.HasPrefix(codes[j], codes[i]) {
				t.Fatalf("code %d is a prefix of code %d", i, j)
			}
		}
	}
}

// TestPrivateAreaProperties round-trips random areas through
// EncodePrivateAreaAlmostInArea against random contexts.
func TestPrivateAreaProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ok := 0
	for i := 0; i < 5000; i++ {
		rel := narrow(rng, grouping.FullArea())
		val := narrow(rng, rel)
		// Sometimes widen val's subspace to any (almost included).
		if rng.IntN(3) == 0 {
			val.Subspace = grouping.AnySubspace()
		}
		// A private interest related to both: extend val's path or cut it.
		priv := PrivateInterest{Subspace: val.Subspace, Path: val.Path}
		if id, isSpecific := rel.Subspace.ID(); isSpecific {
			priv.Subspace = grouping.OnlySubspace(id)
		}
		switch rng.IntN(3) {
		case 0:
			priv.Path = val.Path.Prefix(rng.IntN(val.Path.Len() + 1))
		case 1:
			priv.Path, _ = val.Path.Append([]byte("p"))
		}
		ctx := PrivateAreaContext{Private: priv, Rel: rel}
		code, err := AppendEncodePrivateAreaAlmostInArea(nil, val, ctx)
		if err != nil {
			if AlmostIncludes(rel, val) && priv.AlmostIncludesArea(rel) {
				t.Fatalf("case %d: encode: %v", i, err)
			}
			continue
		}
		dec := codec.NewDecoder(append(code, 0x55), codec.Relation)
		got, err := DecodePrivateAreaAlmostInArea(dec, ctx)
		if err != nil || !got.Equal(val) || dec.Remaining() != 1 {
			t.Fatalf("case %d: decode %v: %v (got %v, want %v)", i, code, err, got, val)
		}
		for j := 0; j < len(code); j++ {
			if _, err := DecodePrivateAreaAlmostInArea(codec.NewDecoder(code[:j], codec.Relation), ctx); err == nil {
				t.Fatalf("case %d: prefix %d decodes", i, j)
			}
		}
		ok++
	}
	if ok < 3000 {
		t.Fatalf("only %d cases encodable", ok)
	}
}

// TestHugeCountsDoNotAllocate: counts the input cannot hold are refused as
// truncated before anything is allocated for them.
func TestHugeCountsDoNotAllocate(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	communal := append(append([]byte{0x7f}, make([]byte, 64)...), huge...)
	owned := append(append([]byte{0xff}, make([]byte, 128)...), huge...)
	enum := append(append(make([]byte, 128), 0xff), huge...)
	def := DefaultAuthorisationToken()
	e := entry.Default(ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest())
	relative := append([]byte{0x1f}, huge...) // communal, nice_hack 1, 8-byte count
	allocs := testing.AllocsPerRun(20, func() {
		for _, b := range [][]byte{communal, owned} {
			if _, err := DecodeMcCapability(codec.NewDecoder(b, codec.Relation)); !errors.Is(err, codec.ErrTruncated) {
				t.Fatalf("huge count: %v", err)
			}
		}
		if _, err := DecodeMcEnumerationCapability(codec.NewDecoder(enum, codec.Relation)); !errors.Is(err, codec.ErrTruncated) {
			t.Fatalf("huge enumeration count: %v", err)
		}
		if _, err := DecodeTokenRelative(codec.NewDecoder(relative, codec.Relation), def, e); !errors.Is(err, codec.ErrTruncated) {
			t.Fatalf("huge relative count: %v", err)
		}
	})
	// Only the *codec.DecodeError values themselves (and their detail
	// strings) may be allocated.
	if allocs > 16 {
		t.Fatalf("%v allocations for four rejected codes", allocs)
	}
}

package meadowcap

import (
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/entry"
)

// FuzzDecodeMcCapability: decoding never panics; whatever decodes re-encodes
// canonically to a code that decodes to the same value; a canonic decode
// consumes exactly the canonic code.
func FuzzDecodeMcCapability(f *testing.F) {
	rng := rand.New(rand.NewPCG(21, 22))
	for range 20 {
		code, err := EncodeMcCapability(randCapability(rng))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []codec.Mode{codec.Relation, codec.Canonic} {
			d := codec.NewDecoder(data, mode)
			c, err := DecodeMcCapability(d)
			if err != nil {
				continue
			}
			code, err := EncodeMcCapability(c)
			if err != nil {
				t.Fatalf("decoded capability does not re-encode: %v", err)
			}
			back, err := decodeAllCanonic(code, DecodeMcCapability)
			if err != nil || !back.Equal(c) {
				t.Fatalf("re-encoded capability does not decode to itself: %v", err)
			}
			if mode == codec.Canonic && string(code) != string(data[:d.Offset()]) {
				t.Fatalf("canonic decoding accepted %x, canonic code is %x", data[:d.Offset()], code)
			}
		}
		if e, err := DecodeMcEnumerationCapability(codec.NewDecoder(data, codec.Relation)); err == nil {
			if back, err := decodeAllCanonic(AppendEncodeMcEnumerationCapability(nil, e), DecodeMcEnumerationCapability); err != nil || !back.Equal(e) {
				t.Fatalf("enumeration capability round trip: %v", err)
			}
		}
	})
}

// tokenContexts are the (prior token, entry) pairs FuzzDecodeTokenRelative
// decodes against.
func tokenContexts(t testing.TB) ([]AuthorisationToken, []entry.Entry) {
	k := newKeys(31)
	rng := rand.New(rand.NewPCG(31, 32))
	pool := capTree(t, k)
	priors := []AuthorisationToken{DefaultAuthorisationToken()}
	var entries []entry.Entry
	for _, n := range pool {
		e := entryIn(t, rng, k, n.cap)
		tok, err := Authorise(e, n.cap, n.secret)
		mustNoErr(t, err)
		priors = append(priors, tok)
		entries = append(entries, e)
	}
	return priors, entries
}

// FuzzDecodeTokenRelative: decoding never panics; whatever decodes re-encodes
// relative to the same context and decodes back to the same token.
func FuzzDecodeTokenRelative(f *testing.F) {
	priors, entries := tokenContexts(f)
	for i := range entries {
		for _, j := range []int{0, i, (i + 3) % len(priors)} {
			tok := priors[i+1]
			code, err := AppendEncodeTokenRelative(nil, tok, priors[j], entries[i])
			if err != nil {
				f.Fatal(err)
			}
			f.Add(byte(j), byte(i), code)
		}
	}
	f.Fuzz(func(t *testing.T, pi, ei byte, data []byte) {
		prior, e := priors[int(pi)%len(priors)], entries[int(ei)%len(entries)]
		tok, err := DecodeTokenRelative(codec.NewDecoder(data, codec.Relation), prior, e)
		if err != nil {
			return
		}
		code, err := AppendEncodeTokenRelative(nil, tok, prior, e)
		if err != nil {
			t.Fatalf("decoded token does not re-encode: %v", err)
		}
		back, err := decodeAll(code, func(d *codec.Decoder) (AuthorisationToken, error) { return DecodeTokenRelative(d, prior, e) })
		if err != nil || !back.Equal(tok) {
			t.Fatalf("re-encoded token does not decode to itself: %v", err)
		}
	})
}

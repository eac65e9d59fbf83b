package agekey

import "testing"

// TestBech32Encode checks the encoder against the valid strings of BIP 173
// (https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki, "Test
// vectors"), whose data parts are whole bytes.
func TestBech32Encode(t *testing.T) {
	for _, c := range []struct {
		hrp  string
		data []byte
		want string
	}{
		{"a", nil, "a12uel5l"},
		// data: the 32 five-bit values 0…31 in order, i.e. these 20 bytes.
		{"abcdef", []byte{0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf, 0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf},
			"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"},
		{"split", []byte{0xc5, 0xf3, 0x8b, 0x70, 0x30, 0x5f, 0x51, 0x9b, 0xf6, 0x6d, 0x85, 0xfb, 0x6c, 0xf0, 0x30, 0x58, 0xf3, 0xdd, 0xe4, 0x63, 0xec, 0xd7, 0x91, 0x8f, 0x2d, 0xc7, 0x43, 0x91, 0x8f, 0x2d},
			"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"},
	} {
		if got := bech32Encode(c.hrp, c.data); got != c.want {
			t.Errorf("bech32Encode(%q, %x) = %q, want %q", c.hrp, c.data, got, c.want)
		}
	}
}

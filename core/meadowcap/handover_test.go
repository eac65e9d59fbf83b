package meadowcap

import (
	"bytes"
	"testing"

	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// TestHandoverLayout checks the three shapes of the handover message byte by
// byte, and the initial authorisation messages.
func TestHandoverLayout(t *testing.T) {
	k := newKeys(21)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	areaCode := func(a, outer grouping.Area) []byte {
		b, err := grouping.AppendEncodeAreaInArea(nil, a, outer)
		mustNoErr(t, err)
		return b
	}
	for _, owned := range []bool{false, true} {
		for _, mode := range []AccessMode{Read, Write} {
			ch := buildChain(t, k, owned, mode, 2)
			c := ch.cap
			root := c.prefix(0)
			d0, d1 := c.Delegation(0), c.Delegation(1)
			u0, u1 := d0.User(), d1.User()
			ns := c.GrantedNamespace()
			got0, err := Handover(root, d0.Area(), u0)
			mustNoErr(t, err)
			var want0 []byte
			if owned {
				auth := c.InitialAuthorisation()
				want0 = cat(areaCode(d0.Area(), grouping.FullArea()), auth[:], u0[:])
			} else {
				want0 = cat([]byte{byte(mode)}, ns[:], areaCode(d0.Area(), grouping.SubspaceArea(c.User())), u0[:])
			}
			if !bytes.Equal(got0, want0) {
				t.Errorf("owned %v %v: first handover\n got %x\nwant %x", owned, mode, got0, want0)
			}
			got1, err := Handover(c.prefix(1), d1.Area(), u1)
			mustNoErr(t, err)
			sig0 := d0.Signature()
			if want1 := cat(areaCode(d1.Area(), d0.Area()), sig0[:], u1[:]); !bytes.Equal(got1, want1) {
				t.Errorf("owned %v %v: later handover\n got %x\nwant %x", owned, mode, got1, want1)
			}
		}
	}
	var u ids.SubspaceID
	u[0], u[31] = 0xaa, 0xbb
	if m := InitialAuthorisationMessage(Read, u); len(m) != 33 || m[0] != 0x02 || !bytes.Equal(m[1:], u[:]) {
		t.Errorf("read initial authorisation message %x", m)
	}
	if m := InitialAuthorisationMessage(Write, u); len(m) != 33 || m[0] != 0x03 || !bytes.Equal(m[1:], u[:]) {
		t.Errorf("write initial authorisation message %x", m)
	}
	if m := EnumerationAuthorisationMessage(u); len(m) != 33 || m[0] != 0x04 || !bytes.Equal(m[1:], u[:]) {
		t.Errorf("enumeration authorisation message %x", m)
	}
}

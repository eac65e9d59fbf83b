package jsbridge

import (
	"crypto/rand"
	"testing"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal/agekey"
)

func TestAgeKeys(t *testing.T) {
	b := NewBridge()
	id, sk, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	w := &Writer{}
	w.U8(0)
	w.Uvarint(1)
	w.Raw(id[:])
	want, _ := agekey.RecipientString(id)
	if got := call(t, b, OpAgeKeys, w).String("recipient"); got != want {
		t.Errorf("recipient %q, want %q", got, want)
	}
	w = &Writer{}
	w.U8(1)
	w.Uvarint(1)
	w.Raw(sk[:])
	if got := call(t, b, OpAgeKeys, w).String("identity"); got != agekey.IdentityString(sk) {
		t.Errorf("identity %q", got)
	}
	w = &Writer{}
	w.U8(0)
	w.Uvarint(1)
	w.Raw(make([]byte, 32)) // y = 0 is a point of order 4
	if code := callErr(t, b, OpAgeKeys, w); code != CodeBadKey {
		t.Errorf("code %s", code)
	}
}

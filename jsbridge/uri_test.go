package jsbridge

import (
	"testing"

	"github.com/willow-web/willow-web/core/ids"
)

func TestURIParseFormat(t *testing.T) {
	b := NewBridge()
	host := "willow://" + ids.DefaultNamespaceID().String() + "." + ids.DefaultSubspaceID().String()
	for in, want := range map[string]string{
		"/a/%2E%2E?to=6&from=4#x": "/a/%2E%2E?from=4&to=6#x",
		"/b/./c/..&area&sipe=3":   "/b?area&size=3",
	} {
		w := &Writer{}
		w.String(host + in)
		r := call(t, b, OpURIParse, w)
		round := &Writer{Buf: append([]byte(nil), r.buf[r.off:]...)}
		if got := call(t, b, OpURIFormat, round).String("uri"); got != host+want {
			t.Errorf("%s: format %q, want %q", in, got, host+want)
		}
	}
	w := &Writer{}
	w.String("http://x")
	if code := callErr(t, b, OpURIParse, w); code != CodeInvalidURI {
		t.Errorf("code %s", code)
	}
}

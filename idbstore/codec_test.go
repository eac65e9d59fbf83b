package idbstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
)

func TestBatchEncoding(t *testing.T) {
	var b kv.Batch
	b.Put([]byte("k"), []byte("vv"))
	b.Delete([]byte(""))
	b.Put(nil, nil)
	got, err := appendBatch(nil, &b)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		opPut, 1, 0, 0, 0, 'k', 2, 0, 0, 0, 'v', 'v',
		opDelete, 0, 0, 0, 0,
		opPut, 0, 0, 0, 0, 0, 0, 0, 0,
	}
	if !bytes.Equal(got, want) || batchSize(&b) != len(want) {
		t.Fatalf("batch = %v (size %d); want %v", got, batchSize(&b), want)
	}
}

func TestScanEncoding(t *testing.T) {
	for _, tc := range []struct {
		r       kv.Range
		reverse bool
		want    []byte
	}{
		{kv.Range{}, false, []byte{0}},
		{kv.Range{Start: []byte{}}, true, []byte{scanReverse}}, // the empty key bounds nothing
		{kv.Range{Start: []byte("a"), End: []byte("bc")}, false, []byte{scanLower | scanUpper, 1, 0, 0, 0, 'a', 2, 0, 0, 0, 'b', 'c'}},
		{kv.Range{End: []byte{0}}, true, []byte{scanUpper | scanReverse, 1, 0, 0, 0, 0}},
	} {
		if got := appendScan(nil, tc.r, tc.reverse); !bytes.Equal(got, tc.want) {
			t.Errorf("scan(%q..%q, %v) = %v; want %v", tc.r.Start, tc.r.End, tc.reverse, got, tc.want)
		}
	}
}

func TestEmptyRange(t *testing.T) {
	for _, tc := range []struct {
		r     kv.Range
		empty bool
	}{
		{kv.Range{}, false},
		{kv.Range{Start: []byte("a")}, false},
		{kv.Range{End: []byte{}}, true},
		{kv.Range{End: []byte{0}}, false},
		{kv.Range{Start: []byte("b"), End: []byte("b")}, true},
		{kv.Range{Start: []byte("b"), End: []byte("a")}, true},
		{kv.Range{Start: []byte("a"), End: []byte("a\x00")}, false},
	} {
		if got := emptyRange(tc.r); got != tc.empty {
			t.Errorf("emptyRange(%q..%q) = %v", tc.r.Start, tc.r.End, got)
		}
	}
}

func TestDecodePage(t *testing.T) {
	var page []byte
	for _, s := range []string{"k1", "v1", "", "", "k3", "a longer value"} {
		page = binary.LittleEndian.AppendUint32(page, uint32(len(s)))
		page = append(page, s...)
	}
	ps, err := decodePage(page)
	if err != nil || len(ps) != 3 || string(ps[0].Key) != "k1" || string(ps[2].Value) != "a longer value" || len(ps[1].Key) != 0 {
		t.Fatalf("decodePage = %q, %v", ps, err)
	}
	for i, p := range ps {
		if cap(p.Key) != len(p.Key) || cap(p.Value) != len(p.Value) {
			t.Errorf("pair %d shares capacity beyond its bytes", i)
		}
	}
	for n := 1; n < len(page); n++ {
		if _, err := decodePage(page[:n]); err == nil && n != 12 && n != 20 {
			t.Errorf("truncated page of %d bytes decoded", n)
		}
	}
}

func TestDOMErrorUnwraps(t *testing.T) {
	for name, target := range map[string]error{
		"QuotaExceededError": kv.ErrQuota,
		"InvalidStateError":  kv.ErrClosed,
		"VersionError":       ErrVersion,
	} {
		if err := error(&DOMError{Name: name, Message: "m"}); !errors.Is(err, target) {
			t.Errorf("%s does not unwrap to %v", name, target)
		}
	}
	if err := (&DOMError{Name: "DataError"}); err.Unwrap() != nil || err.Error() != "DataError" {
		t.Errorf("DataError: %v unwraps to %v", err, err.Unwrap())
	}
}

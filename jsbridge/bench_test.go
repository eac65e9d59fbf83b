package jsbridge

import (
	"testing"

	"github.com/willow-web/willow-web/core/entry"
)

func benchEntries(n int) []entry.Entry {
	es := make([]entry.Entry, n)
	for i := range es {
		es[i] = testEntry()
		es[i].Timestamp += entry.Timestamp(i)
	}
	return es
}

// BenchmarkBridgeEncodeEntries measures OpEncodeEntries per entry (wire in,
// codes out); compare BenchmarkEncodeEntriesAlone.
func BenchmarkBridgeEncodeEntries(b *testing.B) {
	es := benchEntries(256)
	w := &Writer{}
	w.Uvarint(uint64(len(es)))
	for _, e := range es {
		w.Entry(e)
	}
	br := NewBridge()
	b.ResetTimer()
	for range b.N {
		br.Call(OpEncodeEntries, w.Buf)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(es)), "ns/entry")
}

// BenchmarkEncodeEntriesAlone is the same work without the bridge.
func BenchmarkEncodeEntriesAlone(b *testing.B) {
	es := benchEntries(256)
	var buf []byte
	for range b.N {
		for _, e := range es {
			buf = entry.AppendEncode(buf[:0], e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(es)), "ns/entry")
}

// BenchmarkBridgeDecodeEntries measures OpDecodeEntries per entry.
func BenchmarkBridgeDecodeEntries(b *testing.B) {
	es := benchEntries(256)
	w := &Writer{}
	w.Uvarint(uint64(len(es)))
	for _, e := range es {
		w.Bytes(entry.Encode(e))
	}
	br := NewBridge()
	b.ResetTimer()
	for range b.N {
		br.Call(OpDecodeEntries, w.Buf)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(es)), "ns/entry")
}

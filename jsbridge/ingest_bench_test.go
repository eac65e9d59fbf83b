package jsbridge

import (
	"fmt"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// benchBatch signs n communal entries of the default subspace (distinct
// paths, as the façade's ingest benchmark writes them) and returns the batch
// as OpStoreIngest takes it, without the store.
func benchBatch(b *testing.B, br *Bridge, n int) []byte {
	b.Helper()
	ns, ss := ids.DefaultNamespaceID(), ids.DefaultSubspaceID()
	w := &Writer{}
	w.U8(1)
	w.Raw(ns[:])
	w.Raw(ss[:])
	r := NewReader(br.Call(OpCapCommunal, w.Buf))
	if r.U8("status") != statusOK {
		b.Fatal("communal capability")
	}
	capCode := r.Bytes("code")
	sk := ids.DefaultSecretKey()
	batch := &Writer{}
	batch.Uvarint(uint64(n))
	for i := range n {
		e := entry.Default(ns, ss, ids.DefaultPayloadDigest())
		e.Path = path.MustFromStrings("bench", fmt.Sprintf("e%05d", i))
		e.Timestamp = entry.Timestamp(1<<40 + i)
		e.PayloadLength = 32
		w := &Writer{}
		w.Entry(e)
		w.Bytes(capCode)
		w.Raw(sk[:])
		r := NewReader(br.Call(OpAuthorise, w.Buf))
		if r.U8("status") != statusOK {
			b.Fatal("authorise")
		}
		batch.Entry(e)
		batch.Bytes(r.Bytes("token"))
	}
	return batch.Buf
}

// BenchmarkIngestConfirmed10k measures both phases of the WebCrypto-assisted
// ingest of 10,000 small communal entries into a fresh memory store, every
// signature confirmed by the "host": OpIngestSignatures (phase 1) and
// OpStoreIngestConfirmed (phase 2), per entry.
func BenchmarkIngestConfirmed10k(b *testing.B) {
	const n = 10000
	br := NewBridge()
	batch := benchBatch(b, br, n)
	resp := br.Call(OpIngestSignatures, batch)
	if resp[0] != statusOK {
		b.Fatal("signatures")
	}
	confirmed := resp[1:]
	b.Run("signatures", func(b *testing.B) {
		for range b.N {
			br.Call(OpIngestSignatures, batch)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
	})
	b.Run("ingest", func(b *testing.B) {
		var el int64
		for range b.N {
			b.StopTimer()
			r := NewReader(br.Call(OpStoreOpen, []byte{backendMemory}))
			r.U8("status")
			w := &Writer{}
			w.Uvarint(r.Uvarint("store"))
			w.Raw(confirmed)
			w.Raw(batch)
			b.StartTimer()
			out := br.Call(OpStoreIngestConfirmed, w.Buf)
			if out[0] != statusOK {
				r := NewReader(out)
				r.U8("s")
				b.Fatalf("ingest: %s %s", r.String("code"), r.String("message"))
			}
		}
		_ = el
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
	})
}

package jsbridge

import (
	"github.com/willow-web/willow-web/core/meadowcap"
)

// ingest verifies and ingests a batch atomically: uvarint n ‖ n × (entry ‖
// bytes token) → n × ingest result. A token that does not authorise its entry
// fails the whole batch (nothing is written) with the item's index.
func (b *Bridge) ingest(sh *storeHandle, r *Reader, w *Writer) error {
	n := r.Count("count", 100)
	aes := make([]meadowcap.AuthorisedEntry, 0, n)
	for i := 0; i < n; i++ {
		e := r.Entry("entry")
		code := r.Bytes("token")
		if r.Err() != nil {
			return atIndex(r.Err(), i)
		}
		ae, err := authorisedEntry(e, code)
		if err != nil {
			return atIndex(err, i)
		}
		aes = append(aes, ae)
	}
	if err := r.Done(); err != nil {
		return err
	}
	results, err := sh.s.IngestAll(aes)
	if err != nil {
		return err
	}
	for _, res := range results {
		writeIngestResult(w, res)
	}
	return nil
}

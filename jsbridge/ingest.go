package jsbridge

import (
	"github.com/willow-web/willow-web/core/ed25519strict"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/meadowcap"
)

// Op codes of the two-phase ingest, in which the façade verifies the
// signature equations with WebCrypto (see wasm/PROTOCOL.md).
const (
	// OpIngestSignatures lists the signatures a batch needs checked.
	OpIngestSignatures = 0x49
	// OpStoreIngestConfirmed is OpStoreIngest with signatures confirmed by
	// the host.
	OpStoreIngestConfirmed = 0x9b
)

// ingest verifies and ingests a batch atomically: uvarint n ‖ n × (entry ‖
// bytes token) → n × ingest result. A token that does not authorise its entry
// fails the whole batch (nothing is written) with the item's index. eq
// evaluates the signature equations (nil: in Go).
func (b *Bridge) ingest(sh *storeHandle, r *Reader, w *Writer, eq ed25519strict.EquationChecker) error {
	n := r.Count("count", 100)
	aes := make([]meadowcap.AuthorisedEntry, 0, n)
	for i := 0; i < n; i++ {
		e, t, err := readIngestItem(r, i)
		if err != nil {
			return err
		}
		ae, err := meadowcap.NewAuthorisedEntryWith(eq, e, t)
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

// readIngestItem reads item i of an ingest batch: an entry and its token,
// which must decode exactly. Errors name the item's index; after a failed
// read (rather than a bad token) r.Err() is set too.
func readIngestItem(r *Reader, i int) (entry.Entry, meadowcap.AuthorisationToken, error) {
	e := r.Entry("entry")
	code := r.Bytes("token")
	if r.Err() != nil {
		return e, meadowcap.AuthorisationToken{}, atIndex(r.Err(), i)
	}
	t, err := decodeExactly(code, meadowcap.DecodeToken)
	if err != nil {
		return e, t, atIndex(err, i)
	}
	return e, t, nil
}

// opIngestSignatures is the first phase of a WebCrypto-assisted ingest:
// given a batch as OpStoreIngest takes it (without the store), it lists the
// distinct signatures whose equation verifying the batch needs, those whose
// encodings pass the strict checks: uvarint m ‖ m × (public key 32 ‖
// signature 64 ‖ bytes message). Items that fail for another reason are
// skipped; the ingest itself reports them.
func opIngestSignatures(r *Reader, w *Writer) error {
	n := r.Count("count", 100)
	rec := &sigRecorder{seen: map[string]struct{}{}}
	for i := 0; i < n; i++ {
		e, t, err := readIngestItem(r, i)
		if r.Err() != nil {
			return err
		}
		if err != nil {
			continue
		}
		_ = meadowcap.CheckAuthorisedWriteWith(rec, e, t) // only the recorded signatures matter
	}
	if err := r.Done(); err != nil {
		return err
	}
	w.Uvarint(uint64(len(rec.triples)))
	for _, t := range rec.triples {
		w.Raw(t.pk)
		w.Raw(t.sig)
		w.Bytes(t.msg)
	}
	return nil
}

// sigTriple is one signature to verify.
type sigTriple struct{ pk, msg, sig []byte }

// sigRecorder is the EquationChecker of the first phase: it records every
// distinct signature it is asked about and answers true, so that the check
// goes on to the next signature of the chain.
type sigRecorder struct {
	seen    map[string]struct{}
	triples []sigTriple
	key     []byte
}

// Equation records the signature and reports true.
func (s *sigRecorder) Equation(publicKey, message, signature []byte) bool {
	s.key = tripleKey(s.key[:0], publicKey, message, signature)
	if _, ok := s.seen[string(s.key)]; !ok {
		s.seen[string(s.key)] = struct{}{}
		s.triples = append(s.triples, sigTriple{
			pk:  append([]byte(nil), publicKey...),
			msg: append([]byte(nil), message...),
			sig: append([]byte(nil), signature...),
		})
	}
	return true
}

// confirmedSignatures is the EquationChecker of the second phase: it accepts
// the signatures the host verified and evaluates the equation of any other in
// Go.
type confirmedSignatures struct {
	ok  map[string]struct{}
	key []byte
}

// Equation reports whether the signature was confirmed by the host or, if
// not, whether the equation holds.
func (c *confirmedSignatures) Equation(publicKey, message, signature []byte) bool {
	c.key = tripleKey(c.key[:0], publicKey, message, signature)
	if _, ok := c.ok[string(c.key)]; ok {
		return true
	}
	return ed25519strict.Equation(publicKey, message, signature)
}

// readConfirmed reads uvarint m ‖ m × (public key 32 ‖ signature 64 ‖ bytes
// message), the signatures whose equation the host confirmed.
func readConfirmed(r *Reader) *confirmedSignatures {
	m := r.Count("signature count", 97)
	c := &confirmedSignatures{ok: make(map[string]struct{}, m)}
	var key []byte
	for i := 0; i < m && r.Err() == nil; i++ {
		pk := r.take(32, "public key")
		sig := r.take(64, "signature")
		msg := r.Bytes("message")
		if r.Err() != nil {
			break
		}
		key = tripleKey(key[:0], pk, msg, sig)
		c.ok[string(key)] = struct{}{}
	}
	return c
}

// tripleKey appends the map key of a signature: key ‖ signature ‖ message
// (the first two have fixed sizes, so the key is unambiguous).
func tripleKey(dst, publicKey, message, signature []byte) []byte {
	dst = append(dst, publicKey...)
	dst = append(dst, signature...)
	return append(dst, message...)
}

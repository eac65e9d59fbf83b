package relay

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/meadowcap"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes        = 64 << 20
	DefaultMaxDropsPerUploader = 1000
	DefaultMaxNamespaceBytes   = 1 << 30
	DefaultMaxClockSkew        = 5 * time.Minute
	DefaultListLimit           = 100
	MaxListLimit               = 1000
)

// Config configures a Handler. Zero fields take the defaults.
type Config struct {
	Blobs Blobs // required
	Index Index // required
	// MaxBodyBytes bounds an upload (default 64 MiB).
	MaxBodyBytes int64
	// MaxDropsPerUploader bounds the drops one uploader keeps in one
	// namespace (default 1000).
	MaxDropsPerUploader int
	// MaxNamespaceBytes bounds the total size of the drops stored in one
	// namespace (default 1 GiB).
	MaxNamespaceBytes int64
	// MaxClockSkew is how far Willow-Timestamp may be from the relay's clock,
	// either way (default 5 minutes).
	MaxClockSkew time.Duration
	// AllowOrigin is the CORS Access-Control-Allow-Origin (default "*").
	AllowOrigin string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log, if set, receives internal errors and recovered panics.
	Log func(format string, args ...any)
}

// Handler serves the relay API (see README.md). It holds no state of its own
// beyond its configuration.
type Handler struct {
	cfg Config
}

// New returns a Handler for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Blobs == nil || cfg.Index == nil {
		return nil, errors.New("relay: Config needs Blobs and Index")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxDropsPerUploader <= 0 {
		cfg.MaxDropsPerUploader = DefaultMaxDropsPerUploader
	}
	if cfg.MaxNamespaceBytes <= 0 {
		cfg.MaxNamespaceBytes = DefaultMaxNamespaceBytes
	}
	if cfg.MaxClockSkew <= 0 {
		cfg.MaxClockSkew = DefaultMaxClockSkew
	}
	if cfg.AllowOrigin == "" {
		cfg.AllowOrigin = "*"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Handler{cfg: cfg}, nil
}

func (h *Handler) now() time.Time { return h.cfg.Now() }

func (h *Handler) logf(format string, args ...any) {
	if h.cfg.Log != nil {
		h.cfg.Log(format, args...)
	}
}

// ServeHTTP implements http.Handler. A panic in a request is recovered and
// answered with a 500 internal_error.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.cors(w.Header())
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.logf("relay: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, apiErr(http.StatusInternalServerError, CodeInternal, "internal error", nil))
		}
	}()
	if err := h.serve(w, r); err != nil {
		if err.Status >= 500 {
			h.logf("relay: %s %s: %v", r.Method, r.URL.Path, err)
		}
		writeError(w, err)
	}
}

func (h *Handler) cors(hd http.Header) {
	hd.Set("Access-Control-Allow-Origin", h.cfg.AllowOrigin)
	hd.Set("Access-Control-Expose-Headers", "Content-Length, ETag, Willow-Drop-Id")
	if h.cfg.AllowOrigin != "*" {
		hd.Add("Vary", "Origin")
	}
}

// route: /v1/namespaces/{ns}/drops[/{id}]
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) *Error {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 4 || len(parts) > 5 || parts[0] != "v1" || parts[1] != "namespaces" || parts[3] != "drops" {
		return apiErr(http.StatusNotFound, CodeNotFound, "no such route; see /v1/namespaces/{namespace}/drops", nil)
	}
	allow := "GET, PUT, OPTIONS"
	if len(parts) == 5 {
		allow = "GET, DELETE, OPTIONS"
	}
	if r.Method == http.MethodOptions {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Methods", allow)
		hd.Set("Access-Control-Allow-Headers", "Content-Type, "+HeaderCapability+", "+HeaderSignature+", "+HeaderTimestamp)
		hd.Set("Access-Control-Max-Age", "86400")
		hd.Set("Allow", allow)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	ns, err := ids.ParseNamespaceID(parts[2])
	if err != nil {
		return apiErr(http.StatusBadRequest, CodeBadNamespace, "bad namespace id", err)
	}
	if len(parts) == 4 {
		switch r.Method {
		case http.MethodPut:
			return h.upload(w, r, ns)
		case http.MethodGet:
			return h.list(w, r, ns)
		}
	} else {
		id, err := ids.ParsePayloadDigest(parts[4])
		if err != nil {
			return apiErr(http.StatusBadRequest, CodeBadDropID, "bad drop id", err)
		}
		switch r.Method {
		case http.MethodGet:
			return h.download(w, r, ns, id)
		case http.MethodDelete:
			return h.delete(w, r, ns, id)
		}
	}
	w.Header().Set("Allow", allow)
	return apiErr(http.StatusMethodNotAllowed, CodeMethodNotAllowed, r.Method+" is not allowed here; allowed: "+allow, nil)
}

func nsKey(ns ids.NamespaceID) string { return hex.EncodeToString(ns[:]) }

func blobKey(ns, id string) string { return ns + "/" + id }

func storageErr(what string, err error) *Error {
	return apiErr(http.StatusServiceUnavailable, CodeStorage, what+" failed", err)
}

// emptyDigest is WILLIAM3 of the empty body.
var emptyDigest = bab.Sum(nil)

// UploadResponse is the body of a successful upload: the record and whether
// the bytes were new (false: the same drop was already stored).
type UploadResponse struct {
	Record
	Created bool `json:"created"`
}

func (h *Handler) upload(w http.ResponseWriter, r *http.Request, ns ids.NamespaceID) *Error {
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return apiErr(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, fmt.Sprintf("the body exceeds %d bytes", h.cfg.MaxBodyBytes), nil)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.cfg.MaxBodyBytes+1))
	if err != nil {
		return apiErr(http.StatusBadRequest, CodeBadRequest, "reading the body failed", err)
	}
	if int64(len(body)) > h.cfg.MaxBodyBytes {
		return apiErr(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, fmt.Sprintf("the body exceeds %d bytes", h.cfg.MaxBodyBytes), nil)
	}
	digest := bab.Sum(body)
	c, aerr := h.authenticate(r, ns, meadowcap.Write, digest)
	if aerr != nil {
		return aerr
	}
	sealed := isSealed(body)
	if !sealed {
		if aerr := verifyDrop(body, ns, c); aerr != nil {
			return aerr
		}
	}
	ctx := r.Context()
	nk, id, uploader := nsKey(ns), ids.PayloadDigest(digest).String(), c.Receiver().String()
	existing, err := h.cfg.Index.Get(ctx, nk, id)
	switch {
	case err == nil:
		// Content addressing: the same bytes are the same drop. The first
		// uploader keeps it; a repeated (or replayed) upload changes nothing.
		writeJSON(w, http.StatusOK, UploadResponse{Record: existing})
		return nil
	case !errors.Is(err, ErrNotFound):
		return storageErr("reading the index", err)
	}
	n, err := h.cfg.Index.CountUploads(ctx, nk, uploader, h.cfg.MaxDropsPerUploader)
	if err != nil {
		return storageErr("counting uploads", err)
	}
	if n >= h.cfg.MaxDropsPerUploader {
		return apiErr(http.StatusTooManyRequests, CodeQuotaExceeded,
			fmt.Sprintf("uploader %s has %d drops in this namespace (the limit)", uploader, n), nil)
	}
	total, err := h.cfg.Index.NamespaceBytes(ctx, nk, h.cfg.MaxNamespaceBytes)
	if err != nil {
		return storageErr("summing the namespace's drops", err)
	}
	if total+int64(len(body)) > h.cfg.MaxNamespaceBytes {
		return apiErr(http.StatusRequestEntityTooLarge, CodeNamespaceFull,
			fmt.Sprintf("the namespace holds %d bytes; %d more would exceed its limit of %d", total, len(body), h.cfg.MaxNamespaceBytes), nil)
	}
	// The index entry is the commit point: the blob is written first and is
	// unreachable until indexed. If indexing fails the blob is deleted
	// again (unless a concurrent upload of the same bytes indexed it).
	bk := blobKey(nk, id)
	if err := h.cfg.Blobs.Put(ctx, bk, body); err != nil {
		h.dropBlob(ctx, nk, id, bk)
		return storageErr("storing the drop", err)
	}
	rec := Record{ID: id, Size: int64(len(body)), Uploader: uploader, Time: h.now().UnixMilli(), Sealed: sealed}
	if err := h.cfg.Index.Put(ctx, nk, rec); err != nil {
		h.dropBlob(ctx, nk, id, bk)
		return storageErr("indexing the drop", err)
	}
	w.Header().Set("Location", r.URL.EscapedPath()+"/"+id)
	w.Header().Set("Willow-Drop-Id", id)
	writeJSON(w, http.StatusCreated, UploadResponse{Record: rec, Created: true})
	return nil
}

// dropBlob deletes the blob of a failed upload unless the index holds a
// record for it (a concurrent upload of the same bytes committed). A failure
// is logged: the blob stays, unlisted and unreachable, until a re-upload
// overwrites it.
func (h *Handler) dropBlob(ctx context.Context, nk, id, bk string) {
	if _, err := h.cfg.Index.Get(ctx, nk, id); err == nil {
		return
	}
	if err := h.cfg.Blobs.Delete(ctx, bk); err != nil {
		h.logf("relay: removing the blob of a failed upload %s: %v", bk, err)
	}
}

// isSealed reports whether body is an age file (binary or armored), as
// seal.IsSealed does; package seal is not imported because it links age.
func isSealed(body []byte) bool {
	return bytes.HasPrefix(body, []byte("age-encryption.org/v1\n")) ||
		bytes.HasPrefix(body, []byte("-----BEGIN AGE ENCRYPTED FILE-----"))
}

// verifyDrop checks a plaintext drop in full: structure, every entry in
// namespace ns and in the granted area of c (the uploader's capability),
// every token, every payload slice, nothing after the terminator.
func verifyDrop(body []byte, ns ids.NamespaceID, c meadowcap.Capability) *Error {
	area := c.GrantedArea()
	dr := drop.NewReader(bytes.NewReader(body))
	for {
		item, err := dr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return dropErr(err)
		}
		if item.Entry.NamespaceID != ns {
			return apiErr(http.StatusForbidden, CodeEntryOutsideArea,
				fmt.Sprintf("item %d (offset %d) is in namespace %s", item.Index, item.Offset, item.Entry.NamespaceID), nil)
		}
		if err := meadowcap.CheckAuthorisedWrite(item.Entry, item.Token); err != nil {
			return apiErr(http.StatusForbidden, CodeUnauthorisedEntry,
				fmt.Sprintf("item %d (offset %d) is not authorised", item.Index, item.Offset), err)
		}
		if !area.IncludesEntry(item.Entry) {
			return apiErr(http.StatusForbidden, CodeEntryOutsideArea,
				fmt.Sprintf("item %d (offset %d) lies outside the uploader's granted area %s", item.Index, item.Offset, area), nil)
		}
		if _, err := dr.VerifySlices(); err != nil {
			return dropErr(err)
		}
	}
}

func dropErr(err error) *Error {
	if errors.Is(err, drop.ErrTruncated) || errors.Is(err, io.ErrUnexpectedEOF) {
		return apiErr(http.StatusUnprocessableEntity, CodeTruncatedDrop, "the drop is truncated", err)
	}
	return apiErr(http.StatusUnprocessableEntity, CodeInvalidDrop, "the drop is invalid", err)
}

// ListResponse is the body of a listing: one page of records in increasing
// id order, and the cursor of the next page ("" when this is the last).
type ListResponse struct {
	Drops []Record `json:"drops"`
	Next  string   `json:"next,omitempty"`
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request, ns ids.NamespaceID) *Error {
	q := r.URL.Query()
	limit := DefaultListLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxListLimit {
			return apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("limit must be 1…%d", MaxListLimit), nil)
		}
		limit = n
	}
	if _, aerr := h.authenticate(r, ns, meadowcap.Read, emptyDigest); aerr != nil {
		return aerr
	}
	recs, next, err := h.cfg.Index.List(r.Context(), nsKey(ns), q.Get("after"), limit)
	if err != nil {
		return storageErr("listing", err)
	}
	if recs == nil {
		recs = []Record{}
	}
	writeJSON(w, http.StatusOK, ListResponse{Drops: recs, Next: next})
	return nil
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request, ns ids.NamespaceID, id ids.PayloadDigest) *Error {
	if _, aerr := h.authenticate(r, ns, meadowcap.Read, emptyDigest); aerr != nil {
		return aerr
	}
	rec, gerr := h.record(r.Context(), ns, id)
	if gerr != nil {
		return gerr
	}
	body, size, err := h.cfg.Blobs.Get(r.Context(), blobKey(nsKey(ns), id.String()))
	if errors.Is(err, ErrNotFound) {
		return apiErr(http.StatusNotFound, CodeNotFound, "no such drop", nil)
	}
	if err != nil {
		return storageErr("reading the drop", err)
	}
	defer body.Close()
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	hd.Set("ETag", `"`+rec.ID+`"`)
	hd.Set("Willow-Drop-Id", rec.ID)
	hd.Set("Cache-Control", "private, max-age=31536000, immutable")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, body); err != nil {
		// The status is sent; the client sees a short body.
		h.logf("relay: streaming drop %s: %v", rec.ID, err)
	}
	return nil
}

func (h *Handler) record(ctx context.Context, ns ids.NamespaceID, id ids.PayloadDigest) (Record, *Error) {
	rec, err := h.cfg.Index.Get(ctx, nsKey(ns), id.String())
	if errors.Is(err, ErrNotFound) {
		return rec, apiErr(http.StatusNotFound, CodeNotFound, "no such drop", nil)
	}
	if err != nil {
		return rec, storageErr("reading the index", err)
	}
	return rec, nil
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request, ns ids.NamespaceID, id ids.PayloadDigest) *Error {
	c, aerr := h.authenticate(r, ns, meadowcap.Write, emptyDigest)
	if aerr != nil {
		return aerr
	}
	rec, gerr := h.record(r.Context(), ns, id)
	if gerr != nil {
		return gerr
	}
	if rec.Uploader != c.Receiver().String() {
		return apiErr(http.StatusForbidden, CodeNotUploader, "only the uploader ("+rec.Uploader+") may delete this drop", nil)
	}
	// The index is the commit point here too: once the record is gone the
	// drop is deleted (unlisted, unreachable). A failure to delete the blob
	// afterwards is logged, not reported: it leaves an unreachable blob.
	nk := nsKey(ns)
	if err := h.cfg.Index.Delete(r.Context(), nk, rec.ID, rec.Uploader); err != nil {
		return storageErr("unindexing the drop", err)
	}
	if err := h.cfg.Blobs.Delete(r.Context(), blobKey(nk, rec.ID)); err != nil {
		h.logf("relay: deleting the blob of drop %s (already unindexed): %v", rec.ID, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

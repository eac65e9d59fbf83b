package relay

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code of the relay's JSON errors
// ({"error":{"code":…,"message":…}}). Codes never change meaning; messages may.
type Code string

// The error codes of the relay API.
const (
	CodeBadRequest        Code = "bad_request"        // 400: malformed URL, query or header
	CodeBadNamespace      Code = "bad_namespace"      // 400: the namespace id in the path does not parse
	CodeBadDropID         Code = "bad_drop_id"        // 400: the drop id in the path does not parse
	CodeMissingAuth       Code = "missing_auth"       // 401: a Willow-* header is missing
	CodeBadCapability     Code = "bad_capability"     // 401: the capability does not decode
	CodeInvalidCapability Code = "invalid_capability" // 401: the capability is not valid (signatures, chain)
	CodeBadSignature      Code = "bad_signature"      // 401: the request signature does not verify (strictly)
	CodeBadTimestamp      Code = "bad_timestamp"      // 401: Willow-Timestamp is malformed
	CodeStaleTimestamp    Code = "stale_timestamp"    // 401: Willow-Timestamp is outside the allowed window
	CodeWrongNamespace    Code = "wrong_namespace"    // 403: the capability is for another namespace
	CodeWrongAccessMode   Code = "wrong_access_mode"  // 403: a read capability where a write one is needed, or the reverse
	CodeNotUploader       Code = "not_uploader"       // 403: only the uploader may delete a drop
	CodeUnauthorisedEntry Code = "unauthorised_entry" // 403: an entry of the drop is not authorised by its token
	CodeEntryOutsideArea  Code = "entry_outside_area" // 403: an entry lies outside the uploader's granted area or namespace
	CodeNotFound          Code = "not_found"          // 404: no such route or drop
	CodeMethodNotAllowed  Code = "method_not_allowed" // 405
	CodeReplayedRequest   Code = "replayed_request"   // 409: this signed request was already accepted once; sign it again
	CodeBodyTooLarge      Code = "body_too_large"     // 413: the body exceeds Config.MaxBodyBytes
	CodeNamespaceFull     Code = "namespace_full"     // 413: storing the drop would exceed Config.MaxNamespaceBytes
	CodeInvalidDrop       Code = "invalid_drop"       // 422: the drop is malformed (bad header, slice, payload, trailing bytes)
	CodeTruncatedDrop     Code = "truncated_drop"     // 422: the drop ends before its terminator
	CodeQuotaExceeded     Code = "quota_exceeded"     // 429: the uploader has Config.MaxDropsPerUploader drops in the namespace
	CodeStorage           Code = "storage_error"      // 503: a storage backend failed
	CodeInternal          Code = "internal_error"     // 500: a bug (a recovered panic)
)

// Error is an API error: an HTTP status, a stable code and a message.
type Error struct {
	Status  int
	Code    Code
	Message string
	Err     error // the cause, if any (not sent to the client)
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("relay: %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("relay: %s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func apiErr(status int, code Code, msg string, cause error) *Error {
	return &Error{Status: status, Code: code, Message: msg, Err: cause}
}

type errorBody struct {
	Error struct {
		Code    Code   `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, e *Error) {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	if e.Err != nil && e.Status < 500 {
		b.Error.Message += ": " + e.Err.Error()
	}
	writeJSON(w, e.Status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"internal_error","message":"encoding the response failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

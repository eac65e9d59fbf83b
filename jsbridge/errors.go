package jsbridge

import (
	"errors"

	"github.com/willow-web/willow-web/core/codec"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/core/store"
)

// The stable error codes of the JavaScript API (WillowError.code). They are
// part of the package's public contract: add codes, never rename them.
const (
	// CodeInvalidArgument: an argument has the wrong type, length or value.
	CodeInvalidArgument = "invalid_argument"
	// CodePathLimit: a path exceeds a Willow'25 path limit.
	CodePathLimit = "path_limit"
	// CodeEmptyGrouping: a range, area or area of interest would include nothing.
	CodeEmptyGrouping = "empty_grouping"
	// CodeNotPrefix: a path is not a prefix of the path it should prefix.
	CodeNotPrefix = "not_prefix"
	// CodeNotIncluded: an area is not included in the reference area.
	CodeNotIncluded = "not_included"
	// CodeTruncated: an encoding ended early.
	CodeTruncated = "truncated"
	// CodeNonCanonic: an encoding is valid but not canonic.
	CodeNonCanonic = "non_canonic"
	// CodeOverLimit: a decoded value exceeds a Willow'25 limit.
	CodeOverLimit = "over_limit"
	// CodeInvalidEncoding: the bytes encode nothing.
	CodeInvalidEncoding = "invalid_encoding"
	// CodeTrailingBytes: bytes are left after a complete encoding.
	CodeTrailingBytes = "trailing_bytes"
	// CodeNamespaceKind: a communal capability for an owned namespace or the reverse.
	CodeNamespaceKind = "namespace_kind"
	// CodeInitialAuthorisation: an owned capability's initial authorisation does not verify.
	CodeInitialAuthorisation = "invalid_initial_authorisation"
	// CodeDelegationSignature: a delegation's signature does not verify.
	CodeDelegationSignature = "invalid_delegation_signature"
	// CodeAreaNotIncluded: a delegated area is not inside the area granted before it.
	CodeAreaNotIncluded = "area_not_included"
	// CodeNotWriteCapability: a read capability was used to authorise a write.
	CodeNotWriteCapability = "not_write_capability"
	// CodeNamespaceMismatch: the capability is for another namespace than the entry.
	CodeNamespaceMismatch = "namespace_mismatch"
	// CodeEntryOutsideArea: the capability's granted area does not include the entry.
	CodeEntryOutsideArea = "entry_outside_area"
	// CodeEntrySignature: the token's signature over the entry does not verify.
	CodeEntrySignature = "invalid_entry_signature"
	// CodeWrongSecret: a secret key is not the one the operation needs.
	CodeWrongSecret = "wrong_secret"
	// CodeNotEncodable: a value lies outside the domain of an encoding.
	CodeNotEncodable = "not_encodable"
	// CodeNoSuchHandle: a store, hasher, query or subscription handle is unknown (closed).
	CodeNoSuchHandle = "closed"
	// CodeQuota: the storage backend is full; nothing was written.
	CodeQuota = "quota_exceeded"
	// CodeStoreCorrupt: the storage backend holds bytes the store never wrote.
	CodeStoreCorrupt = "store_corrupt"
	// CodeStoreSchema: the storage backend holds data of another schema.
	CodeStoreSchema = "store_schema"
	// CodeUnknownOp: the module does not know the requested op (version skew).
	CodeUnknownOp = "unknown_op"
	// CodeNoSuchEntry: the store holds no such entry.
	CodeNoSuchEntry = "no_such_entry"
	// CodePayloadMismatch: payload bytes do not match the entry's digest or length.
	CodePayloadMismatch = "payload_mismatch"
	// CodePayloadMissing: the store does not hold the requested payload bytes.
	CodePayloadMissing = "payload_missing"
	// CodeDropMalformed: a drop is not well-formed (bad item header, bad slice, oversized item).
	CodeDropMalformed = "drop_malformed"
	// CodeDropUnauthorised: an entry in a drop is not authorised by its token.
	CodeDropUnauthorised = "drop_unauthorised"
	// CodeUnsupported: the platform lacks what the operation needs (IndexedDB in Node).
	CodeUnsupported = "unsupported"
	// CodeAborted: the operation was aborted (AbortSignal).
	CodeAborted = "aborted"
	// CodeInternal: a bug; the message says more.
	CodeInternal = "internal"
)

// Error is an error with a stable code, as the JavaScript side receives it.
type Error struct {
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errorf builds an *Error.
func errorf(code, message string) *Error { return &Error{Code: code, Message: message} }

// ToError maps any error of the core to an *Error with its code.
func ToError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if c := dropCode(err); c != "" {
		return &Error{Code: c, Message: err.Error()}
	}
	code := CodeInternal
	switch {
	case errors.Is(err, codec.ErrTruncated):
		code = CodeTruncated
	case errors.Is(err, codec.ErrNonCanonic):
		code = CodeNonCanonic
	case errors.Is(err, codec.ErrLimit):
		code = CodeOverLimit
	case errors.Is(err, codec.ErrInvalid):
		code = CodeInvalidEncoding
	case errors.Is(err, path.ErrLimit):
		code = CodePathLimit
	case errors.Is(err, path.ErrNotPrefix):
		code = CodeNotPrefix
	case errors.Is(err, grouping.ErrEmpty):
		code = CodeEmptyGrouping
	case errors.Is(err, grouping.ErrNotIncluded):
		code = CodeNotIncluded
	case errors.Is(err, errors.ErrUnsupported):
		code = CodeUnsupported
	case errors.Is(err, kv.ErrQuota):
		code = CodeQuota
	case errors.Is(err, kv.ErrClosed), errors.Is(err, store.ErrTxnDone):
		code = CodeNoSuchHandle
	case errors.Is(err, store.ErrCorrupt):
		code = CodeStoreCorrupt
	case errors.Is(err, store.ErrSchema):
		code = CodeStoreSchema
	default:
		if c := meadowcapCode(err); c != "" {
			code = c
		}
	}
	return &Error{Code: code, Message: err.Error()}
}

// meadowcapCode maps the kinds of meadowcap.Error to codes, or returns "".
func meadowcapCode(err error) string {
	for _, k := range []struct {
		kind error
		code string
	}{
		{meadowcap.ErrNamespaceKind, CodeNamespaceKind},
		{meadowcap.ErrInitialAuthorisation, CodeInitialAuthorisation},
		{meadowcap.ErrDelegationSignature, CodeDelegationSignature},
		{meadowcap.ErrAreaNotIncluded, CodeAreaNotIncluded},
		{meadowcap.ErrNotWriteCapability, CodeNotWriteCapability},
		{meadowcap.ErrNamespaceMismatch, CodeNamespaceMismatch},
		{meadowcap.ErrEntryOutsideArea, CodeEntryOutsideArea},
		{meadowcap.ErrEntrySignature, CodeEntrySignature},
		{meadowcap.ErrWrongSecret, CodeWrongSecret},
		{meadowcap.ErrNotEncodable, CodeNotEncodable},
	} {
		if errors.Is(err, k.kind) {
			return k.code
		}
	}
	return ""
}

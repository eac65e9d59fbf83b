package idbstore

import (
	"errors"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// ErrVersion: the database was written by newer code (its IndexedDB version
// is above DatabaseVersion), so this code must not open it.
var ErrVersion = errors.New("idbstore: database has a newer version")

// errUnsupported: the environment lacks the API (no indexedDB, no
// navigator.storage).
var errUnsupported = wrap.Prefix("idbstore: not available in this environment", errors.ErrUnsupported)

// DOMError is an error IndexedDB (or the storage API) reported, by the name
// and message of its DOMException. It unwraps to kv.ErrQuota for
// "QuotaExceededError", to kv.ErrClosed for "InvalidStateError" (the
// connection was closed, for example by a deletion or an upgrade in another
// tab) and to ErrVersion for "VersionError", so errors.Is sees through it.
type DOMError struct {
	Name, Message string
}

func (e *DOMError) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// Unwrap returns the kv or idbstore error the DOMException name means, or
// nil.
func (e *DOMError) Unwrap() error {
	switch e.Name {
	case "QuotaExceededError":
		return kv.ErrQuota
	case "InvalidStateError":
		return kv.ErrClosed
	case "VersionError":
		return ErrVersion
	}
	return nil
}

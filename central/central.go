// Package central is Safeguard's central referral system: the domain types,
// the storage interface every backend implements, and the Service that holds
// the rules (ingest, review workflow, identity, audit). It knows nothing of
// SQL or HTTP: the adapters live in central/sqlite, central/postgres and
// central/http, and cmd/central wires them together.
//
// Every write and every read of an entry happens inside one store
// transaction together with its audit record, so the audit trail and the
// data can never disagree.
package central

import (
	"errors"
	"fmt"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

// Error codes. They are the wire codes (package wire), so the HTTP layer
// maps each to a status and passes the code through unchanged.
const (
	EINVALID      = api.CodeInvalid
	EMALFORMED    = api.CodeMalformed
	EUNAUTHORIZED = api.CodeUnauthorized
	EREVOKED      = api.CodeDeviceRevoked
	EFORBIDDEN    = api.CodeForbidden
	EOWNENTRY     = api.CodeOwnEntry
	ENOTFOUND     = api.CodeNotFound
	ECONFLICT     = api.CodeConflict
	EOFFSET       = api.CodeOffsetMismatch
	ETOOLARGE     = api.CodeTooLarge
	EMEDIATYPE    = api.CodeUnsupportedMediaType
	ECHECKSUM     = api.CodeChecksumMismatch
	EUPGRADE      = api.CodeUpgradeRequired
	EINTERNAL     = api.CodeInternal
	EUNAVAILABLE  = api.CodeUnavailable
)

// Error is an error the caller can act on: Code is stable and
// machine-readable, Message is safe to show (never child data or secrets).
// Anything that is not an *Error is an internal fault.
type Error struct {
	Code    string
	Message string
	// Wipe tells a revoked device to erase what it holds.
	Wipe bool
	// RetryAfter, on a rate-limited error, is how long to wait (sent as
	// the Retry-After header).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for internal errors (whose details belong in the log only).
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}

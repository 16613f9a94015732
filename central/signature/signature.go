// Package signature signs the referrals the central referral system posts
// to a partner agency, and verifies them on the partner's side. It needs
// nothing but the standard library, so a partner can import it (or copy
// it) alone.
//
// Every delivery is an HTTP POST whose body is the referral JSON document,
// with these headers:
//
//	Content-Type: application/json
//	Idempotency-Key: <delivery id>        the same on every retry: drop repeats
//	Safeguard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// The signature is HMAC-SHA256, keyed with the secret shared with the
// partner, over the timestamp in decimal, a full stop, and the body bytes
// exactly as received:
//
//	v1 = hex(HMAC-SHA256(secret, "<t>." + body))
//
// To verify: read the raw body (before any JSON parsing), recompute the
// HMAC over the header's t and the body, compare it in constant time with
// each v1 value of the header (more than one may be sent while a secret is
// rotated; unknown schemes are ignored), and refuse a timestamp further
// than a few minutes from your clock, so a captured request cannot be
// replayed later. Verify does all of this. Answer 2xx only once the
// referral is safely stored; a repeat of an Idempotency-Key you have
// already stored should also get 2xx (and be dropped).
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header names.
const (
	// Header carries the signature.
	Header = "Safeguard-Signature"
	// IdempotencyHeader carries the delivery id: every attempt of one
	// delivery carries the same id and the same body.
	IdempotencyHeader = "Idempotency-Key"
)

// DefaultTolerance is how far a signature's timestamp may be from the
// verifier's clock.
const DefaultTolerance = 5 * time.Minute

// scheme names the signature version in the header.
const scheme = "v1"

// Errors returned by Verify.
var (
	ErrMissing   = errors.New("signature: no Safeguard-Signature header")
	ErrMalformed = errors.New("signature: the Safeguard-Signature header is malformed")
	ErrExpired   = errors.New("signature: the timestamp is outside the tolerance (replayed, or clocks disagree)")
	ErrMismatch  = errors.New("signature: no signature matches the body (wrong secret, or the body was altered)")
)

// MAC returns hex(HMAC-SHA256(secret, "<unix>." + body)).
func MAC(secret []byte, unix int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(unix, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Sign returns the Safeguard-Signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex>".
func Sign(secret []byte, t time.Time, body []byte) string {
	u := t.Unix()
	return fmt.Sprintf("t=%d,%s=%s", u, scheme, MAC(secret, u, body))
}

// Verify checks a Safeguard-Signature header value against the raw body
// with the shared secret: some v1 signature must match, and the timestamp
// must be within tolerance of now (DefaultTolerance when tolerance <= 0).
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrMissing
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var ts int64
	haveTS := false
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrMalformed
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || haveTS {
				return ErrMalformed
			}
			ts, haveTS = n, true
		case scheme:
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size {
				return ErrMalformed
			}
			sigs = append(sigs, b)
		}
	}
	if !haveTS || len(sigs) == 0 {
		return ErrMalformed
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrExpired
	}
	want, _ := hex.DecodeString(MAC(secret, ts, body))
	ok := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			ok = true
		}
	}
	if !ok {
		return ErrMismatch
	}
	return nil
}

package signature_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central/signature"
)

var (
	secret = []byte("a shared secret of the partner")
	t0     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	body   = []byte(`{"format":"safeguard-referral/1","receipt":"SG-2026-000001"}` + "\n")
)

// TestSpecExample recomputes the signature the way the package comment
// tells a partner to, with nothing but crypto/hmac: the documented recipe
// and the code agree.
func TestSpecExample(t *testing.T) {
	h := signature.Sign(secret, t0, body)
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%d.%s", t0.Unix(), body)
	want := fmt.Sprintf("t=%d,v1=%s", t0.Unix(), hex.EncodeToString(m.Sum(nil)))
	if h != want {
		t.Fatalf("Sign = %s\nwant  %s", h, want)
	}
	if err := signature.Verify(secret, h, body, t0.Add(time.Minute), 0); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyRefuses(t *testing.T) {
	h := signature.Sign(secret, t0, body)
	other := signature.Sign([]byte("another secret"), t0, body)
	cases := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"wrong secret", []byte("wrong"), h, body, t0, signature.ErrMismatch},
		{"altered body", secret, h, append([]byte("x"), body...), t0, signature.ErrMismatch},
		{"signed with another secret", secret, other, body, t0, signature.ErrMismatch},
		{"too old (replayed)", secret, h, body, t0.Add(6 * time.Minute), signature.ErrExpired},
		{"from the future", secret, h, body, t0.Add(-6 * time.Minute), signature.ErrExpired},
		{"no header", secret, "", body, t0, signature.ErrMissing},
		{"no timestamp", secret, h[strings.Index(h, ",")+1:], body, t0, signature.ErrMalformed},
		{"no v1", secret, fmt.Sprintf("t=%d", t0.Unix()), body, t0, signature.ErrMalformed},
		{"short v1", secret, fmt.Sprintf("t=%d,v1=abcd", t0.Unix()), body, t0, signature.ErrMalformed},
		{"not hex", secret, fmt.Sprintf("t=%d,v1=%s", t0.Unix(), strings.Repeat("z", 64)), body, t0, signature.ErrMalformed},
		{"two timestamps", secret, h + fmt.Sprintf(",t=%d", t0.Unix()), body, t0, signature.ErrMalformed},
		{"garbage", secret, "hello", body, t0, signature.ErrMalformed},
	}
	for _, c := range cases {
		if err := signature.Verify(c.secret, c.header, c.body, c.now, 0); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestRotation: a header with two v1 signatures (old and new secret)
// verifies with either; unknown schemes are ignored.
func TestRotation(t *testing.T) {
	old, nu := []byte("old secret"), []byte("new secret")
	h := signature.Sign(old, t0, body) + ",v1=" + signature.MAC(nu, t0.Unix(), body) + ",v9=whatever"
	for _, s := range [][]byte{old, nu} {
		if err := signature.Verify(s, h, body, t0, time.Minute); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if err := signature.Verify([]byte("neither"), h, body, t0, time.Minute); !errors.Is(err, signature.ErrMismatch) {
		t.Errorf("neither: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(signature.Sign(secret, t0, body), body)
	f.Add("t=1,v1=00", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, b []byte) {
		err := signature.Verify(secret, header, b, t0, time.Hour)
		if err == nil && header != signature.Sign(secret, t0, b) {
			// Only a genuine signature (any layout) may pass: recheck.
			if signature.Verify([]byte("not the secret"), header, b, t0, time.Hour) == nil {
				t.Fatalf("a header verifies under two secrets: %q", header)
			}
		}
	})
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServePartnerLanguage: a partner language referrals cannot be made
// in is refused at start, by flag or environment, naming the choices.
func TestServePartnerLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if _, err := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--partner-language", "fr"); err == nil ||
		!strings.Contains(err.Error(), "en or cy") {
		t.Fatalf("--partner-language fr: %v", err)
	}
	t.Setenv("SAFEGUARD_PARTNER_LANGUAGE", "Welsh")
	if _, err := runCmd(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), `"Welsh"`) {
		t.Fatalf("SAFEGUARD_PARTNER_LANGUAGE=Welsh: %v", err)
	}
}

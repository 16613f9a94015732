package main

import (
	"os"

	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/devicestore/oskeystore"
)

// osKeyStore is the operating system's key store for the vault, or nil
// where none answers (or SAFEGUARD_NO_KEYSTORE=1): the vault is then
// protected by the PIN alone (see README, "The tablet's PIN").
func osKeyStore() devicestore.KeyStore {
	if os.Getenv("SAFEGUARD_NO_KEYSTORE") == "1" {
		return nil
	}
	if ks := oskeystore.Detect("safeguard"); ks != nil {
		return ks
	}
	return nil
}

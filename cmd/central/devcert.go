package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// devCertValidity is how long a development certificate lasts.
const devCertValidity = 90 * 24 * time.Hour

// cmdDevCert writes a self-signed ECDSA certificate and key for development
// (cert.pem, key.pem). Devices must be told to trust it; never use it live.
func cmdDevCert(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dev-cert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hosts := fs.String("host", "localhost,127.0.0.1,::1", "comma-separated host names and IP addresses")
	out := fs.String("out", ".", "directory to write cert.pem and key.pem")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Safeguard development"}, CommonName: "safeguard-dev"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(devCertValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range strings.Split(*hosts, ",") {
		h = strings.TrimSpace(h)
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	certPath, keyPath := filepath.Join(*out, "cert.pem"), filepath.Join(*out, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %s (self-signed, %s, valid %d days)\nserve with: central serve --tls-cert %s --tls-key %s\n",
		certPath, keyPath, *hosts, int(devCertValidity.Hours()/24), certPath, keyPath)
	return nil
}

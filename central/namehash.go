package central

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// nameHash is a keyed hash of a typed user name for the audit of failed
// sign-ins: the same name gives the same hash, so repeated guessing at one
// account shows, but the name (perhaps a password typed in the wrong box)
// is never stored. The key is derived from the audit key when one is
// configured (so servers sharing it, and later runs, hash alike; a new
// audit key gives new hashes); without one it is made per process, so
// hashes compare within one run only and account lockouts are not shared.
func (s *Service) nameHash(name string) string {
	key := s.blindingKey()
	m := hmac.New(sha256.New, key)
	m.Write([]byte("login-name\x00" + strings.ToLower(name)))
	return hex.EncodeToString(m.Sum(nil))[:24]
}

func (s *Service) blindingKey() []byte {
	s.blindOnce.Do(func() {
		if k := s.cfg.AuditKeys; k != nil && k.Current != nil {
			// Servers sharing an audit key hash names alike, so their
			// shared account lockouts and audited name hashes match.
			m := hmac.New(sha256.New, k.Current.mac)
			m.Write([]byte("safeguard name blinding"))
			s.blindKey = m.Sum(nil)
			return
		}
		s.blindKey = make([]byte, 32)
		if _, err := rand.Read(s.blindKey); err != nil {
			panic("crypto/rand: " + err.Error())
		}
	})
	return s.blindKey
}

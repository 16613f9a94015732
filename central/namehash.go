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
// is never stored. The key is the configured key ring's blind key; without
// one it is made per process, so hashes compare within one run only.
func (s *Service) nameHash(name string) string {
	key := s.blindingKey()
	m := hmac.New(sha256.New, key)
	m.Write([]byte("login-name\x00" + strings.ToLower(name)))
	return hex.EncodeToString(m.Sum(nil))[:24]
}

func (s *Service) blindingKey() []byte {
	s.blindOnce.Do(func() {
		s.blindKey = make([]byte, 32)
		if _, err := rand.Read(s.blindKey); err != nil {
			panic("crypto/rand: " + err.Error())
		}
	})
	return s.blindKey
}

package central

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"sync"

	"github.com/safeguard-uk/safeguard/api"
)

// bodyHash is forms.ContentHash of the entry whose canonical encoding is
// body (ContentHash encodes the entry and hashes the bytes; prepare has
// the bytes already).
func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// prepareAll prepares each item into out[i]. Items are independent
// (decoding, canonical encoding, hashing, evaluation: no database), so
// they are spread over the machine's cores; each result lands at its own
// index, so the outcome is the same as preparing them one by one.
func (s *Service) prepareAll(items []api.PushItem, out []prepared) {
	workers := min(runtime.GOMAXPROCS(0), len(items))
	if workers <= 1 {
		for i, it := range items {
			out[i] = s.prepare(it)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, len(items))
	for i := range items {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.prepare(items[i])
			}
		}()
	}
	wg.Wait()
}

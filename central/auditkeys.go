package central

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AuditKey is one audit key: an Ed25519 key pair whose seed also derives
// the HMAC key that chains the audit records. The database never holds
// it: it comes from a file or the environment (see LoadAuditKey), so
// someone who can write the database can neither recompute a keyed chain
// nor sign a checkpoint.
type AuditKey struct {
	ID     string // 16 hex digits naming the key in hashes and checkpoints
	priv   ed25519.PrivateKey
	Public ed25519.PublicKey
	mac    []byte
}

// AuditKeys are the current audit key (which chains new records and signs
// checkpoints) and the retired ones still needed to verify older records.
type AuditKeys struct {
	Current *AuditKey
	Retired []*AuditKey
}

// NewAuditKeySeed returns a fresh key in the file format: the base64 of a
// 32-byte Ed25519 seed, on one line.
func NewAuditKeySeed() (string, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return "", fmt.Errorf("audit key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(seed) + "\n", nil
}

// ParseAuditKey reads a key in the file format. The error never repeats
// the text (it is a secret).
func ParseAuditKey(text string) (*AuditKey, error) {
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("audit key: not the base64 of a 32-byte seed (make one with `central audit-key new`)")
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	id := sha256.Sum256(pub)
	mac := sha256.Sum256(append([]byte("safeguard audit chain v1\x00"), seed...))
	return &AuditKey{ID: hex.EncodeToString(id[:8]), priv: priv, Public: pub, mac: mac[:]}, nil
}

// LoadAuditKey reads a key from a file (which must not be readable by
// group or others) or, when path is "", from the environment variable env.
// It returns nil, nil when neither is set.
func LoadAuditKey(path, env string) (*AuditKey, error) {
	if path == "" {
		v := os.Getenv(env)
		if v == "" {
			return nil, nil
		}
		return ParseAuditKey(v)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("audit key %s: readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	k, err := ParseAuditKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

func (ks *AuditKeys) byID(id string) *AuditKey {
	if ks == nil {
		return nil
	}
	if ks.Current != nil && ks.Current.ID == id {
		return ks.Current
	}
	for _, k := range ks.Retired {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// keyedPrefix marks a keyed record hash: "k1:<key id>:<hex HMAC>".
const keyedPrefix = "k1:"

// KeyedAuditHash is AuditHash keyed: HMAC-SHA256 with the key's chain key
// over the same length-prefixed fields, tagged with the key's id.
func KeyedAuditHash(k *AuditKey, prevHash string, r AuditRecord) string {
	m := hmac.New(sha256.New, k.mac)
	writeAuditFields(m, prevHash, r)
	return keyedPrefix + k.ID + ":" + hex.EncodeToString(m.Sum(nil))
}

// chainHash is the hash of a new record: keyed when a key is configured.
func (s *Service) chainHash(prevHash string, r AuditRecord) string {
	if s.cfg.AuditKeys != nil && s.cfg.AuditKeys.Current != nil {
		return KeyedAuditHash(s.cfg.AuditKeys.Current, prevHash, r)
	}
	return AuditHash(prevHash, r)
}

// checkRecordHash verifies one record's hash: "" when it matches, else
// the problem.
func (s *Service) checkRecordHash(r AuditRecord) (keyed bool, problem string) {
	if !strings.HasPrefix(r.Hash, keyedPrefix) {
		if AuditHash(r.PrevHash, r) != r.Hash {
			return false, fmt.Sprintf("record %d: content does not match its hash (altered)", r.Seq)
		}
		return false, ""
	}
	rest := strings.TrimPrefix(r.Hash, keyedPrefix)
	id, _, ok := strings.Cut(rest, ":")
	if !ok {
		return true, fmt.Sprintf("record %d: its keyed hash is malformed", r.Seq)
	}
	k := s.cfg.AuditKeys.byID(id)
	if k == nil {
		return true, fmt.Sprintf("record %d: chained with audit key %s, which is not loaded (give it with --audit-key-retired)", r.Seq, id)
	}
	if !hmac.Equal([]byte(KeyedAuditHash(k, r.PrevHash, r)), []byte(r.Hash)) {
		return true, fmt.Sprintf("record %d: content does not match its keyed hash (altered or recomputed without the key)", r.Seq)
	}
	return true, ""
}

// Checkpoint is one signed statement of the audit head, a line of the
// witness file.
type Checkpoint struct {
	Seq  int64     `json:"seq"`
	Head string    `json:"head"`
	At   time.Time `json:"at"`
	Key  string    `json:"key"`
	Sig  string    `json:"sig"`
}

func checkpointMessage(c Checkpoint) []byte {
	return []byte("safeguard audit checkpoint v1\x00" + strconv.FormatInt(c.Seq, 10) + "\x00" + c.Head + "\x00" + c.At.UTC().Format(time.RFC3339Nano))
}

// Witness appends signed checkpoints of the audit head to a file outside
// the database (make it append-only at the OS level, e.g. chattr +a, or
// ship it to another machine).
type Witness struct {
	Path string
	mu   sync.Mutex
	last int64
}

// Checkpoint signs the current audit head and appends it to the witness
// when the head moved since the last checkpoint. It needs an audit key.
func (s *Service) Checkpoint(ctx context.Context) error {
	w := s.cfg.Witness
	k := s.cfg.AuditKeys
	if w == nil || k == nil || k.Current == nil {
		return nil
	}
	var seq int64
	var head string
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		seq, head, err = tx.AuditHead(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq == 0 || seq == w.last {
		return nil
	}
	c := Checkpoint{Seq: seq, Head: head, At: s.now(), Key: k.Current.ID}
	c.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(k.Current.priv, checkpointMessage(c)))
	line, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	f, err := os.OpenFile(w.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	w.last = seq
	return nil
}

// RunCheckpoints writes a checkpoint every interval until ctx ends, and a
// last one then (call it beside the server; it returns after the last).
func (s *Service) RunCheckpoints(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := s.Checkpoint(ctx); err != nil {
				s.log.Error("audit checkpoint", "err", err)
			}
		case <-ctx.Done():
			if err := s.Checkpoint(context.WithoutCancel(ctx)); err != nil {
				s.log.Error("audit checkpoint at shutdown", "err", err)
			}
			return
		}
	}
}

// readWitness reads the checkpoints; a line that does not parse or whose
// signature fails is a problem.
func (s *Service) readWitness(problem func(string, ...any)) []Checkpoint {
	w := s.cfg.Witness
	if w == nil {
		return nil
	}
	f, err := os.Open(w.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		problem("the witness file cannot be read: %v", err)
		return nil
	}
	defer f.Close()
	var out []Checkpoint
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var c Checkpoint
			if jerr := json.Unmarshal(line, &c); jerr != nil {
				problem("witness line %d is not a checkpoint", n)
			} else if k := s.cfg.AuditKeys.byID(c.Key); k == nil {
				problem("witness line %d is signed with audit key %s, which is not loaded", n, c.Key)
			} else if sig, derr := base64.StdEncoding.DecodeString(c.Sig); derr != nil || !ed25519.Verify(k.Public, checkpointMessage(c), sig) {
				problem("witness line %d: the signature does not verify (forged or altered checkpoint)", n)
			} else {
				if len(out) > 0 && c.Seq < out[len(out)-1].Seq {
					problem("witness line %d goes back to record %d after %d", n, c.Seq, out[len(out)-1].Seq)
				}
				out = append(out, c)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			problem("the witness file cannot be read: %v", err)
			break
		}
	}
	return out
}

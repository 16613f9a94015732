package central

import (
	"context"
	"fmt"

	"github.com/safeguard-uk/safeguard/central/seal"
)

// Sealer encrypts child data at rest (package central/seal's Keyring is
// one). A store given one seals revision bodies, attachments and referral
// documents at its boundary; the person index takes the same keyring (its
// Blind makes the keyed hashes of its lookup columns).
type Sealer interface {
	Seal(plaintext, additionalData []byte) ([]byte, error)
	Open(ciphertext, additionalData []byte) ([]byte, error)
}

// keyringSetting is the settings row holding the wrapped data keys.
const keyringSetting = "seal.keyring"

// LoadKeyring returns the data keys, unwrapped by kek, from the store's
// settings, making them on first use (the first of several servers to
// start wins; the others read its keys).
func LoadKeyring(ctx context.Context, store Store, kek seal.KEK) (*seal.Keyring, error) {
	_, fresh, err := seal.New(kek)
	if err != nil {
		return nil, err
	}
	enc, err := fresh.Marshal()
	if err != nil {
		return nil, err
	}
	var stored string
	if err := store.Update(ctx, func(tx Tx) error {
		var err error
		stored, err = tx.InitSetting(ctx, keyringSetting, enc)
		return err
	}); err != nil {
		return nil, fmt.Errorf("data keys: %w", err)
	}
	st, err := seal.Unmarshal(stored)
	if err != nil {
		return nil, err
	}
	kr, err := seal.Open(kek, st)
	if err != nil {
		return nil, fmt.Errorf("data keys: %w", err)
	}
	return kr, nil
}

// settingPutter is a transaction that can overwrite a setting.
type settingPutter interface {
	PutSetting(ctx context.Context, name, value string) error
}

// RewrapKeyring re-wraps the stored data keys from the old KEK to the new
// one, in one transaction. Nothing sealed changes and running servers
// (which hold the keys unwrapped) carry on; restart them with the new KEK
// at leisure. The change is audited.
func RewrapKeyring(ctx context.Context, store Store, old, new seal.KEK) error {
	return store.Update(ctx, func(tx Tx) error {
		cur, err := tx.Setting(ctx, keyringSetting)
		if err != nil {
			return fmt.Errorf("rewrap: no data keys stored yet: %w", err)
		}
		st, err := seal.Unmarshal(cur)
		if err != nil {
			return err
		}
		nst, err := seal.Rewrap(st, old, new)
		if err != nil {
			return fmt.Errorf("rewrap: %w", err)
		}
		enc, err := nst.Marshal()
		if err != nil {
			return err
		}
		p, ok := tx.(settingPutter)
		if !ok {
			return fmt.Errorf("rewrap: this store cannot overwrite settings")
		}
		if err := p.PutSetting(ctx, keyringSetting, enc); err != nil {
			return fmt.Errorf("rewrap: %w", err)
		}
		s := &Service{store: store}
		s.cfg.defaults()
		return s.audit(ctx, tx, System("cli"), "datakey.rewrap", "", 0, map[string]any{"from": old.ID(), "to": new.ID()})
	})
}

// resealStore is a store that can seal child data written in the clear
// before it had a sealer (central/sqlite and central/postgres).
type resealStore interface {
	ResealTables() []string
	Compact(ctx context.Context) error
}

// resealTx is a transaction of a resealStore.
type resealTx interface {
	ResealPage(ctx context.Context, table string, after []any, limit int) ([]any, int, error)
}

// resealPage is how many rows one reseal transaction reads: short
// transactions, so running servers keep ingesting while it runs.
const resealPage = 200

// ResealPlain seals the child data a store holds in the clear (rows
// written before the server had a key-encryption key: revision bodies,
// attachment chunks, referral documents, decisions' reasons and comments,
// change bodies, alert texts). The store must have its sealer set. It
// walks each table in short transactions, so servers may keep running,
// and is idempotent: values already sealed are left alone, and a second
// run seals nothing. With compact, what the updates left behind of the
// clear values (SQLite's free pages and log, PostgreSQL's old row
// versions) is then removed (see sqlstore.Store.Compact). It returns how
// many values it sealed per table and audits the counts (administrators
// and the system only).
func (s *Service) ResealPlain(ctx context.Context, p Principal, compact bool) (map[string]int, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	rs, ok := s.store.(resealStore)
	if !ok {
		return nil, fmt.Errorf("reseal: this store cannot reseal")
	}
	counts := map[string]int{}
	for _, table := range rs.ResealTables() {
		var after []any
		for {
			var next []any
			var n int
			err := s.store.Update(ctx, func(tx Tx) error {
				rt, ok := tx.(resealTx)
				if !ok {
					return fmt.Errorf("reseal: this store cannot reseal")
				}
				var err error
				next, n, err = rt.ResealPage(ctx, table, after, resealPage)
				return err
			})
			if err != nil {
				return counts, err
			}
			counts[table] += n
			if next == nil {
				break
			}
			after = next
		}
	}
	detail := map[string]any{"compacted": compact}
	for k, v := range counts {
		detail[k] = v
	}
	if err := s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "datakey.reseal", "", 0, detail)
	}); err != nil {
		return counts, fmt.Errorf("reseal: %w", err)
	}
	if compact {
		if err := rs.Compact(ctx); err != nil {
			return counts, fmt.Errorf("reseal: %w", err)
		}
	}
	return counts, nil
}

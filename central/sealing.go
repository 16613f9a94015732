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

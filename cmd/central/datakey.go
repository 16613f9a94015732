package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/seal"
)

// kekFlag is the key-encryption key flag shared by serve and data-key.
func kekFlag(fs *flag.FlagSet, name, env, usage string) *string {
	return fs.String(name, env2(env+"_FILE"), usage)
}

func env2(name string) string { return env(name, "") }

// loadKEK reads the KEK from the file, or the key itself from env.
func loadKEK(path, env string) (seal.KEK, error) {
	k, err := seal.LoadKEK(path, env)
	if err != nil || k == nil {
		return nil, err
	}
	return k, nil
}

// sealStore loads the data keys with kek and makes store seal child data.
func sealStore(ctx context.Context, store central.Store, kek seal.KEK) (*seal.Keyring, error) {
	kr, err := central.LoadKeyring(ctx, store, kek)
	if err != nil {
		return nil, err
	}
	s, ok := store.(interface{ SetSealer(central.Sealer) })
	if !ok {
		return nil, errors.New("this store cannot seal data")
	}
	s.SetSealer(kr)
	return kr, nil
}

// cmdDataKey: `data-key new-kek --out F` makes a key-encryption key file;
// `data-key rewrap --kek-file OLD --new-kek-file NEW` re-wraps the stored
// data keys (no downtime: running servers keep theirs in memory);
// `data-key reseal --kek-file K [--compact]` seals child data stored in
// the clear before the server had a KEK (idempotent; see
// central.Service.ResealPlain).
func cmdDataKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: central data-key new-kek --out FILE | rewrap --kek-file OLD --new-kek-file NEW | reseal --kek-file KEK [--compact]")
	}
	switch args[0] {
	case "new-kek":
		fs := flag.NewFlagSet("data-key new-kek", flag.ContinueOnError)
		fs.SetOutput(stderr)
		out := fs.String("out", "", "file to create (mode 600; it must not exist)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return errors.New("data-key new-kek: give --out FILE")
		}
		txt, err := seal.NewKEKText()
		if err != nil {
			return err
		}
		k, _ := seal.ParseKEK(txt)
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("data-key new-kek: %w", err)
		}
		if _, err := f.WriteString(txt); err != nil {
			f.Close()
			return fmt.Errorf("data-key new-kek: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("data-key new-kek: %w", err)
		}
		fmt.Fprintf(stdout, "key-encryption key %s written to %s\n", k.ID(), *out)
		return nil
	case "rewrap":
		fs, db := adminFlags("data-key rewrap", stderr)
		oldF := kekFlag(fs, "kek-file", "SAFEGUARD_KEK", "the current key-encryption key's file (or the key in env SAFEGUARD_KEK)")
		newF := fs.String("new-kek-file", "", "the new key-encryption key's file")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		old, err := loadKEK(*oldF, "SAFEGUARD_KEK")
		if err != nil {
			return err
		}
		nk, err := loadKEK(*newF, "")
		if err != nil {
			return err
		}
		if old == nil || nk == nil {
			return errors.New("data-key rewrap: give the current key (--kek-file or SAFEGUARD_KEK) and --new-kek-file")
		}
		store, err := openStore(ctx, *db)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := central.RewrapKeyring(ctx, store, old, nk); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "data keys re-wrapped from %s to %s; restart servers with the new key when convenient, then destroy the old one\n", old.ID(), nk.ID())
		return nil
	case "reseal":
		fs, db := adminFlags("data-key reseal", stderr)
		kf := kekFlag(fs, "kek-file", "SAFEGUARD_KEK", "the key-encryption key's file (or the key in env SAFEGUARD_KEK)")
		compact := fs.Bool("compact", false, "then remove what the updates left of the clear values (SQLite: VACUUM; PostgreSQL: VACUUM FULL of the sealed tables, each locked while rewritten)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *kf == "" && os.Getenv("SAFEGUARD_KEK") == "" {
			return errors.New("data-key reseal: give the key-encryption key (--kek-file or SAFEGUARD_KEK)")
		}
		svc, done, err := openServiceKEK(ctx, *db, *kf, quietLogger(stderr))
		if err != nil {
			return err
		}
		defer done()
		counts, err := svc.ResealPlain(ctx, central.System("cli"), *compact)
		if err != nil {
			return err
		}
		total := 0
		for _, n := range counts {
			total += n
		}
		fmt.Fprintf(stdout, "%d values sealed that were in the clear (%v)\n", total, counts)
		return nil
	}
	return fmt.Errorf("data-key: unknown subcommand %q", args[0])
}

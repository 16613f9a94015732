package devicestore

import (
	"crypto/cipher"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/safeguard-uk/safeguard/forms"
)

type attMeta struct {
	SHA256 string `json:"sha256"`
	Type   string `json:"type,omitempty"`
}

// PutAttachment stores a photo or file for a draft and lists it in the
// entry's attachments. The content is encrypted as it is read (never
// written in clear), named on disk by a keyed hash of its SHA-256, and
// stored once however many entries list it. The returned Attachment's
// SHA256 is what photo answers refer to.
func (s *Store) PutAttachment(entryID string, r io.Reader, mediaType, name string) (forms.Attachment, error) {
	var out forms.Attachment
	return withKeys(s, true, func(kr *keyring) (forms.Attachment, error) {
		// Fail early, before reading a large file, if the entry is not a draft.
		if _, err := s.editable(s.db, entryID); err != nil {
			return out, err
		}
		f, err := os.CreateTemp(s.attDir, "tmp-*")
		if err != nil {
			return out, storageErr("attach: create file", err)
		}
		tmp := f.Name()
		defer os.Remove(tmp) // no-op once renamed
		prefix := [16]byte(randomBytes(16))
		w := newAttWriter(kr.attach, f, prefix)
		h := sha256.New()
		size, err := io.Copy(w, io.TeeReader(r, h))
		if err == nil {
			err = w.Close()
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return out, storageErr("attach: write file", err)
		}
		sha := hex.EncodeToString(h.Sum(nil))
		id := kr.attachmentID(sha)
		out = forms.Attachment{SHA256: sha, Size: size, Type: mediaType, Name: name}

		var exists bool
		var one int
		switch err := s.db.QueryRow(`SELECT 1 FROM attachments WHERE id = ?`, id).Scan(&one); {
		case err == nil:
			exists = true
		case !errors.Is(err, sql.ErrNoRows):
			return out, storageErr("attach", err)
		}
		final := filepath.Join(s.attDir, id)
		if !exists {
			if err := os.Rename(tmp, final); err != nil {
				return out, storageErr("attach: store file", err)
			}
			if err := syncDir(s.attDir); err != nil {
				os.Remove(final)
				return out, storageErr("attach: store file", err)
			}
		}
		meta, err := json.Marshal(attMeta{SHA256: sha, Type: mediaType})
		if err != nil {
			return out, err
		}
		now := s.now()
		err = s.tx("attach", func(tx *sql.Tx) error {
			rev, err := s.editable(tx, entryID)
			if err != nil {
				return err
			}
			if !exists {
				_, err := tx.Exec(`INSERT INTO attachments(id, meta, prefix, size, created) VALUES (?,?,?,?,?)`,
					id, kr.seal(meta, ad("attachment-meta", id)), prefix[:], size, now)
				if err != nil {
					return storageErr("attach", err)
				}
			}
			_, err = tx.Exec(`INSERT INTO entry_attachments(entry_id, revision, attachment, name, pos)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(pos), 0) + 1 FROM entry_attachments WHERE entry_id = ? AND revision = ?))
			ON CONFLICT(entry_id, revision, attachment) DO NOTHING`,
				entryID, rev, id, kr.seal([]byte(name), ad("attachment-name", entryID, id)), entryID, rev)
			if err != nil {
				return storageErr("attach", err)
			}
			if _, err := tx.Exec(`UPDATE entries SET updated = ? WHERE id = ?`, now, entryID); err != nil {
				return storageErr("attach", err)
			}
			return s.audit(tx, s.officer, AuditAttach, entryID, fmt.Sprintf("%d bytes", size))
		})
		if err != nil {
			if !exists {
				os.Remove(final)
			}
			return forms.Attachment{}, err
		}
		return out, nil
	})
}

// RemoveAttachment takes an attachment off a draft's list. The file is
// deleted later (by Purge) once no entry lists it and it is not waiting
// to be uploaded.
func (s *Store) RemoveAttachment(entryID, sha string) error {
	return s.change("remove attachment", entryID, "remove attachment", func(tx *sql.Tx, kr *keyring, rev int) error {
		_, err := tx.Exec(`DELETE FROM entry_attachments WHERE entry_id = ? AND revision = ? AND attachment = ?`, entryID, rev, kr.attachmentID(sha))
		return storageErr("remove attachment", err)
	})
}

func (s *Store) entryAttachments(q querier, kr *keyring, entryID string, rev int) ([]forms.Attachment, error) {
	rows, err := q.Query(`SELECT a.id, a.meta, a.size, ea.name FROM entry_attachments ea JOIN attachments a ON a.id = ea.attachment
		WHERE ea.entry_id = ? AND ea.revision = ? ORDER BY ea.pos`, entryID, rev)
	if err != nil {
		return nil, storageErr("read attachments", err)
	}
	defer rows.Close()
	var out []forms.Attachment
	for rows.Next() {
		var id string
		var metaB, nameB []byte
		var a forms.Attachment
		if err := rows.Scan(&id, &metaB, &a.Size, &nameB); err != nil {
			return nil, storageErr("read attachments", err)
		}
		m, err := openMeta(kr, id, metaB)
		if err != nil {
			return nil, err
		}
		name, err := kr.open(nameB, ad("attachment-name", entryID, id))
		if err != nil {
			return nil, fmt.Errorf("read attachment of %s: %w (%w)", entryID, ErrCorrupt, err)
		}
		a.SHA256, a.Type, a.Name = m.SHA256, m.Type, string(name)
		out = append(out, a)
	}
	return out, storageErr("read attachments", rows.Err())
}

func openMeta(kr *keyring, id string, b []byte) (attMeta, error) {
	var m attMeta
	pt, err := kr.open(b, ad("attachment-meta", id))
	if err == nil {
		err = json.Unmarshal(pt, &m)
	}
	if err != nil {
		return m, fmt.Errorf("read attachment: %w (%w)", ErrCorrupt, err)
	}
	return m, nil
}

// OpenAttachment returns the decrypted content of an attachment, for the
// officer to view. The reader can seek; every chunk is authenticated
// before it is returned, and reading fails with ErrLocked once the store
// locks. The first open per session is audited.
func (s *Store) OpenAttachment(sha string) (io.ReadSeekCloser, error) {
	return s.openAttachment(sha, true)
}

func (s *Store) openAttachment(sha string, asOfficer bool) (*attReader, error) {
	return withKeys(s, asOfficer, func(kr *keyring) (*attReader, error) {
		id := kr.attachmentID(sha)
		var prefix []byte
		err := s.db.QueryRow(`SELECT prefix FROM attachments WHERE id = ?`, id).Scan(&prefix)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("attachment %s: %w", shortSHA(sha), ErrNotFound)
		}
		if err != nil {
			return nil, storageErr("open attachment", err)
		}
		f, err := os.Open(filepath.Join(s.attDir, id))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("attachment %s: %w (file missing)", shortSHA(sha), ErrCorrupt)
			}
			return nil, storageErr("open attachment", err)
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, storageErr("open attachment", err)
		}
		aead := func() (cipher.AEAD, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.checkIdleLocked()
			if s.keys != kr || s.closed {
				return nil, ErrLocked
			}
			return kr.attach, nil
		}
		ar, err := newAttReader(aead, f, st.Size(), f, prefix)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("attachment %s: %w", shortSHA(sha), ErrCorrupt)
		}
		if asOfficer && !s.opened["att:"+id] {
			if err := s.tx("open attachment", func(tx *sql.Tx) error {
				return s.audit(tx, s.officer, AuditOpenFile, "", id[:16])
			}); err != nil {
				ar.Close()
				return nil, err
			}
			s.opened["att:"+id] = true
		}
		return ar, nil
	})
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

package central

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
)

func wireAttachment(a Attachment) api.AttachmentStatus {
	return api.AttachmentStatus{EntryID: a.EntryID, SHA256: a.SHA256, Size: a.Size, Offset: a.Offset, Complete: a.Complete, Refused: a.Refused}
}

// deviceAttachment loads an attachment a device may upload: the entry must
// be one its team sent, and list the digest.
func deviceAttachment(ctx context.Context, tx Tx, p Principal, entryID, digest string) (Entry, Attachment, error) {
	if p.Device == nil {
		return Entry{}, Attachment{}, forbidden()
	}
	ent, err := tx.Entry(ctx, entryID)
	if err != nil {
		return Entry{}, Attachment{}, notFound(err, "no such entry: push the entry before its attachments")
	}
	if ent.Team != p.Device.Team {
		return Entry{}, Attachment{}, Errorf(ENOTFOUND, "no such entry: push the entry before its attachments")
	}
	a, err := tx.Attachment(ctx, entryID, digest)
	if err != nil {
		return Entry{}, Attachment{}, notFound(err, "the entry lists no attachment with this SHA-256")
	}
	return ent, a, nil
}

// notFound turns a store's ENOTFOUND into a friendlier message and passes
// other errors on.
func notFound(err error, msg string) error {
	if ErrorCode(err) == ENOTFOUND {
		return Errorf(ENOTFOUND, "%s", msg)
	}
	return err
}

// AttachmentStatus returns how much of an attachment the server holds.
func (s *Service) AttachmentStatus(ctx context.Context, p Principal, entryID, digest string) (*api.AttachmentStatus, error) {
	var st api.AttachmentStatus
	err := s.store.View(ctx, func(tx Tx) error {
		_, a, err := deviceAttachment(ctx, tx, p, entryID, digest)
		st = wireAttachment(a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("attachment status: %w", err)
	}
	return &st, nil
}

// AppendAttachment stores the bytes from r at offset, which must be the
// stored offset. When the attachment reaches its declared size its SHA-256
// is checked: a match completes it, a mismatch discards it (ECHECKSUM).
// At most the declared size minus offset bytes are read from r; more is
// ETOOLARGE.
func (s *Service) AppendAttachment(ctx context.Context, p Principal, entryID, digest string, offset int64, r io.Reader) (*api.AttachmentStatus, error) {
	// Find where we stand before reading the body.
	var a Attachment
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		_, a, err = deviceAttachment(ctx, tx, p, entryID, digest)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("append attachment: %w", err)
	}
	switch {
	case a.Refused:
		return nil, Errorf(ETOOLARGE, "the attachment is %d bytes; the limit is %d", a.Size, s.cfg.MaxAttachment)
	case a.Complete:
		st := wireAttachment(a)
		if offset == a.Size {
			return &st, nil // a repeated final append: already done
		}
		return nil, &Error{Code: EOFFSET, Message: fmt.Sprintf("the attachment is complete (%d bytes)", a.Size)}
	case offset != a.Offset:
		return nil, Errorf(EOFFSET, "the stored offset is %d, not %d: resume from %d", a.Offset, offset, a.Offset)
	}
	remaining := a.Size - a.Offset
	data, err := io.ReadAll(io.LimitReader(r, remaining+1))
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) { // the transport's own limit
			return nil, ce
		}
		return nil, Errorf(EINVALID, "reading the chunk failed: %v", err)
	}
	if int64(len(data)) > remaining {
		return nil, Errorf(ETOOLARGE, "the chunk runs past the declared size of %d bytes", a.Size)
	}
	var st api.AttachmentStatus
	var failed error
	err = s.store.Update(ctx, func(tx Tx) error {
		ent, cur, err := deviceAttachment(ctx, tx, p, entryID, digest)
		if err != nil {
			return err
		}
		if cur.Offset != offset || cur.Complete { // another append got in first
			return Errorf(EOFFSET, "the stored offset is %d, not %d: resume from %d", cur.Offset, offset, cur.Offset)
		}
		if len(data) > 0 {
			if err := tx.AppendChunk(ctx, entryID, digest, offset, data); err != nil {
				return err
			}
			cur.Offset += int64(len(data))
		}
		if cur.Offset < cur.Size {
			st = wireAttachment(cur)
			return nil
		}
		// Complete: check the whole file's digest.
		h := sha256.New()
		if err := tx.ReadChunks(ctx, entryID, digest, func(b []byte) error { _, err := h.Write(b); return err }); err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) != digest {
			if err := tx.ResetAttachment(ctx, entryID, digest); err != nil {
				return err
			}
			failed = Errorf(ECHECKSUM, "the uploaded bytes do not match the SHA-256; the upload was discarded: start again from 0")
			return s.audit(ctx, tx, p, "attachment.checksum_mismatch", entryID, ent.Revision, map[string]any{"sha256": digest})
		}
		if err := tx.CompleteAttachment(ctx, entryID, digest); err != nil {
			return err
		}
		cur.Complete = true
		st = wireAttachment(cur)
		if err := s.refreshMissing(ctx, tx, &ent); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "attachment.complete", entryID, ent.Revision, map[string]any{"sha256": digest, "size": cur.Size})
	})
	if err != nil {
		return nil, fmt.Errorf("append attachment: %w", err)
	}
	if failed != nil {
		return nil, failed
	}
	return &st, nil
}

// refreshMissing recounts the current revision's incomplete attachments.
func (s *Service) refreshMissing(ctx context.Context, tx Tx, ent *Entry) error {
	rev, err := tx.Revision(ctx, ent.ID, ent.Revision)
	if err != nil {
		return err
	}
	e, err := forms.DecodeEntry(rev.Body)
	if err != nil {
		return fmt.Errorf("stored revision %d of %s: %w", rev.Revision, ent.ID, err)
	}
	att, err := tx.Attachments(ctx, ent.ID)
	if err != nil {
		return err
	}
	ent.Missing = countIncomplete(e, att)
	return tx.UpdateEntry(ctx, *ent)
}

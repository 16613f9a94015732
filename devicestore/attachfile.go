package devicestore

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Attachment files are encrypted in chunks so that a photo is never held
// whole in memory and an upload can resume from any offset:
//
//	header (33 bytes): "SGAT" | version 1 | chunk size uint32 BE | plaintext size uint64 BE | nonce prefix (16)
//	chunk i:           XChaCha20-Poly1305(plaintext[i*chunk : (i+1)*chunk])   (chunk+16 bytes; the last may be shorter)
//
// Chunk i's nonce is the prefix followed by i as uint64 BE; its associated
// data is the header's nonce prefix, i and a flag marking the last chunk,
// so chunks cannot be reordered, dropped or the file cut short without
// detection. The random prefix is also kept in the database row, so one
// attachment's file cannot be swapped for another's.
const (
	attMagic      = "SGAT"
	attVersion    = 1
	attHeaderSize = 4 + 1 + 4 + 8 + 16
	attChunkSize  = 64 << 10
	// MaxAttachmentBytes bounds one attachment (a long video clip is not a
	// photo: body-worn video is referenced, not copied).
	MaxAttachmentBytes = 256 << 20
)

var errAttachmentFile = errors.New("devicestore: attachment file is damaged or does not belong to this entry")

type attHeader struct {
	chunk  uint32
	size   uint64
	prefix [16]byte
}

func (h attHeader) bytes() []byte {
	b := make([]byte, 0, attHeaderSize)
	b = append(b, attMagic...)
	b = append(b, attVersion)
	b = binary.BigEndian.AppendUint32(b, h.chunk)
	b = binary.BigEndian.AppendUint64(b, h.size)
	return append(b, h.prefix[:]...)
}

// parseAttHeader reads and checks a header against the file's length.
func parseAttHeader(b []byte, fileLen int64) (attHeader, error) {
	var h attHeader
	if len(b) < attHeaderSize || string(b[:4]) != attMagic || b[4] != attVersion {
		return h, errAttachmentFile
	}
	h.chunk = binary.BigEndian.Uint32(b[5:9])
	h.size = binary.BigEndian.Uint64(b[9:17])
	copy(h.prefix[:], b[17:33])
	if h.chunk == 0 || h.chunk > 16<<20 || h.size > MaxAttachmentBytes {
		return h, errAttachmentFile
	}
	if want := h.fileLen(); fileLen >= 0 && want != fileLen {
		return h, errAttachmentFile
	}
	return h, nil
}

func (h attHeader) chunks() uint64 {
	if h.size == 0 {
		return 1 // one empty final chunk
	}
	return (h.size + uint64(h.chunk) - 1) / uint64(h.chunk)
}

func (h attHeader) fileLen() int64 {
	return int64(attHeaderSize) + int64(h.size) + int64(h.chunks())*tagSize
}

func chunkNonce(prefix [16]byte, i uint64) []byte {
	n := make([]byte, nonceSize)
	copy(n, prefix[:])
	binary.BigEndian.PutUint64(n[16:], i)
	return n
}

func chunkAD(prefix [16]byte, i uint64, last bool) []byte {
	b := ad("attachment-chunk", string(prefix[:]))
	b = binary.BigEndian.AppendUint64(b, i)
	if last {
		return append(b, 1)
	}
	return append(b, 0)
}

// attWriter encrypts a stream of known maximum size into w. The plaintext
// size is only known at the end, so the header is written last with
// WriteAt; w must be an io.WriterAt positioned after the header.
type attWriter struct {
	aead   cipher.AEAD
	w      io.WriterAt
	h      attHeader
	buf    []byte
	index  uint64
	offset int64
	total  uint64
}

func newAttWriter(aead cipher.AEAD, w io.WriterAt, prefix [16]byte) *attWriter {
	return &attWriter{aead: aead, w: w, h: attHeader{chunk: attChunkSize, prefix: prefix}, buf: make([]byte, 0, attChunkSize), offset: attHeaderSize}
}

func (a *attWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if a.total+uint64(len(p)) > MaxAttachmentBytes {
			return n, fmt.Errorf("%w: attachment larger than %d bytes", ErrInvalid, MaxAttachmentBytes)
		}
		if len(a.buf) == cap(a.buf) {
			// A full buffer is only sealed when more data follows, so
			// the last chunk is always sealed by Close with its flag.
			if err := a.flush(false); err != nil {
				return n, err
			}
		}
		k := min(cap(a.buf)-len(a.buf), len(p))
		a.buf = append(a.buf, p[:k]...)
		a.total += uint64(k)
		p = p[k:]
		n += k
	}
	return n, nil
}

func (a *attWriter) flush(last bool) error {
	ct := a.aead.Seal(nil, chunkNonce(a.h.prefix, a.index), a.buf, chunkAD(a.h.prefix, a.index, last))
	if _, err := a.w.WriteAt(ct, a.offset); err != nil {
		return err
	}
	a.offset += int64(len(ct))
	a.index++
	a.buf = a.buf[:0]
	return nil
}

// Close seals the last chunk and writes the header.
func (a *attWriter) Close() error {
	if err := a.flush(true); err != nil {
		return err
	}
	a.h.size = a.total
	_, err := a.w.WriteAt(a.h.bytes(), 0)
	return err
}

// attReader decrypts an attachment file; it supports Seek so an upload can
// resume at an offset. Each chunk is authenticated before any of its bytes
// are returned.
type attReader struct {
	aead   func() (cipher.AEAD, error) // checked on every chunk: fails once the store locks
	r      io.ReaderAt
	closer io.Closer
	h      attHeader
	pos    int64
	cur    []byte // decrypted current chunk
	curIdx uint64
	hasCur bool
}

func newAttReader(aead func() (cipher.AEAD, error), r io.ReaderAt, fileLen int64, closer io.Closer, wantPrefix []byte) (*attReader, error) {
	hb := make([]byte, attHeaderSize)
	if _, err := r.ReadAt(hb, 0); err != nil {
		return nil, errAttachmentFile
	}
	h, err := parseAttHeader(hb, fileLen)
	if err != nil {
		return nil, err
	}
	if wantPrefix != nil && string(wantPrefix) != string(h.prefix[:]) {
		return nil, errAttachmentFile
	}
	return &attReader{aead: aead, r: r, closer: closer, h: h}, nil
}

// Size is the plaintext size.
func (a *attReader) Size() int64 { return int64(a.h.size) }

func (a *attReader) load(i uint64) error {
	if a.hasCur && a.curIdx == i {
		return nil
	}
	aead, err := a.aead()
	if err != nil {
		return err
	}
	n := a.h.chunks()
	plain := uint64(a.h.chunk)
	if i == n-1 {
		plain = a.h.size - i*uint64(a.h.chunk)
	}
	ct := make([]byte, plain+tagSize)
	off := int64(attHeaderSize) + int64(i)*int64(a.h.chunk+tagSize)
	if _, err := a.r.ReadAt(ct, off); err != nil {
		return errAttachmentFile
	}
	pt, err := aead.Open(ct[:0], chunkNonce(a.h.prefix, i), ct, chunkAD(a.h.prefix, i, i == n-1))
	if err != nil {
		return errAttachmentFile
	}
	a.cur, a.curIdx, a.hasCur = pt, i, true
	return nil
}

func (a *attReader) Read(p []byte) (int, error) {
	if a.pos >= int64(a.h.size) {
		if a.h.size == 0 {
			// Authenticate the empty final chunk, so a truncated file
			// is not read as an empty photo.
			if err := a.load(0); err != nil {
				return 0, err
			}
		}
		return 0, io.EOF
	}
	n := 0
	for len(p) > 0 && a.pos < int64(a.h.size) {
		i := uint64(a.pos) / uint64(a.h.chunk)
		if err := a.load(i); err != nil {
			return n, err
		}
		within := a.pos - int64(i)*int64(a.h.chunk)
		k := copy(p, a.cur[within:])
		p = p[k:]
		n += k
		a.pos += int64(k)
	}
	return n, nil
}

func (a *attReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		if offset > math.MaxInt64-a.pos {
			return a.pos, errors.New("devicestore: seek overflow")
		}
		abs = a.pos + offset
	case io.SeekEnd:
		abs = int64(a.h.size) + offset
	default:
		return a.pos, errors.New("devicestore: invalid whence")
	}
	if abs < 0 {
		return a.pos, errors.New("devicestore: negative position")
	}
	a.pos = abs
	return abs, nil
}

func (a *attReader) Close() error {
	clear(a.cur)
	a.cur, a.hasCur = nil, false
	if a.closer != nil {
		return a.closer.Close()
	}
	return nil
}

package devicestore

import (
	"bytes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/rand"
	"io"
	"testing"
)

func fuzzKeyring(t testing.TB) *keyring {
	kr, err := newKeyring(bytes.Repeat([]byte{7}, keySize))
	if err != nil {
		t.Fatal(err)
	}
	kr.priv, err = ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// FuzzEnvelope feeds arbitrary bytes to the envelope decoder: it must never
// panic, and must never accept anything but what was sealed under the key
// for that associated data.
func FuzzEnvelope(f *testing.F) {
	kr := fuzzKeyring(f)
	assoc := ad("answer", "entry", "", "", "q")
	good := kr.seal([]byte(`{"value":"x"}`), assoc)
	boxed, err := sealTo(kr.priv.PublicKey(), []byte("comment"), assoc)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(boxed)
	f.Add([]byte{})
	f.Add([]byte{envKey})
	f.Add([]byte{envBox, 1, 2, 3})
	f.Add(append([]byte{envKey}, make([]byte, nonceSize+tagSize)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		pt, err := kr.open(b, assoc)
		if err != nil {
			return
		}
		// The key is fixed, so envelopes sealed by another fuzz worker
		// open too; anything else would be a forgery.
		if string(pt) != `{"value":"x"}` && string(pt) != "comment" {
			t.Fatalf("forged envelope accepted: %x -> %q", b, pt)
		}
	})
}

// FuzzAttachmentFile feeds arbitrary bytes to the attachment file decoder
// (header parser, chunk reader, seek): it must never panic or loop, and
// must never return bytes of a damaged file as content.
func FuzzAttachmentFile(f *testing.F) {
	kr := fuzzKeyring(f)
	aead := func() (cipher.AEAD, error) { return kr.attach, nil }
	var prefix [16]byte
	for _, content := range [][]byte{nil, []byte("small"), bytes.Repeat([]byte("abc"), attChunkSize/3+10)} {
		var buf writerAtBuffer
		w := newAttWriter(kr.attach, &buf, prefix)
		w.Write(content)
		w.Close()
		f.Add(buf.b, int64(0))
		f.Add(buf.b, int64(len(content)/2))
	}
	f.Add([]byte("SGAT\x01"), int64(0))
	f.Fuzz(func(t *testing.T, b []byte, off int64) {
		r, err := newAttReader(aead, bytes.NewReader(b), int64(len(b)), nil, nil)
		if err != nil {
			return
		}
		if off < 0 {
			off = -off
		}
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			return
		}
		got, err := io.ReadAll(r)
		if err != nil {
			return
		}
		if int64(len(got)) != max(0, r.Size()-off) {
			t.Fatalf("read %d bytes from offset %d of a %d-byte attachment", len(got), off, r.Size())
		}
	})
}

type writerAtBuffer struct{ b []byte }

func (w *writerAtBuffer) WriteAt(p []byte, off int64) (int, error) {
	if need := int(off) + len(p); need > len(w.b) {
		w.b = append(w.b, make([]byte, need-len(w.b))...)
	}
	copy(w.b[off:], p)
	return len(p), nil
}

func TestAttachmentFileTamperDetected(t *testing.T) {
	kr := fuzzKeyring(t)
	aead := func() (cipher.AEAD, error) { return kr.attach, nil }
	var prefix [16]byte
	rand.Read(prefix[:])
	content := bytes.Repeat([]byte("0123456789"), attChunkSize/5) // two full chunks
	var buf writerAtBuffer
	w := newAttWriter(kr.attach, &buf, prefix)
	w.Write(content)
	must(t, w.Close())
	read := func(b []byte, want []byte) error {
		r, err := newAttReader(aead, bytes.NewReader(b), int64(len(b)), nil, want)
		if err != nil {
			return err
		}
		_, err = io.ReadAll(r)
		return err
	}
	must(t, read(buf.b, prefix[:]))
	flipped := bytes.Clone(buf.b)
	flipped[attHeaderSize+5] ^= 1
	truncated := buf.b[:attHeaderSize+attChunkSize+tagSize] // last chunk dropped
	// Drop the last chunk and fix the header's size: the first chunk is
	// not marked final, so it is still refused.
	shortened := bytes.Clone(truncated)
	h, _ := parseAttHeader(shortened, -1)
	h.size = attChunkSize
	copy(shortened, h.bytes())
	swapped := bytes.Clone(buf.b)
	c0 := swapped[attHeaderSize : attHeaderSize+attChunkSize+tagSize]
	c1 := bytes.Clone(swapped[attHeaderSize+attChunkSize+tagSize:])
	copy(swapped[attHeaderSize+attChunkSize+tagSize:], c0)
	copy(c0, c1)
	for name, b := range map[string][]byte{"flipped bit": flipped, "truncated": truncated, "shortened": shortened, "chunks swapped": swapped} {
		if err := read(b, prefix[:]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	other := prefix
	other[0] ^= 1
	if err := read(buf.b, other[:]); err == nil {
		t.Error("file of another attachment accepted")
	}
}

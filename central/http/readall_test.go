package http

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAll: a body read into a buffer of its declared length comes out
// whole whether it is as long as declared, shorter or longer (and read a
// byte at a time), as io.ReadAll reads it.
func TestReadAll(t *testing.T) {
	body := bytes.Repeat([]byte(`{"k":"v"}`), 1000)
	for _, declared := range []int64{-1, 0, 1, 100, int64(len(body)) - 1, int64(len(body)), int64(len(body)) + 1, 1 << 20} {
		for _, identity := range []bool{true, false} {
			for name, r := range map[string]func() io.Reader{
				"whole":     func() io.Reader { return bytes.NewReader(body) },
				"byte-wise": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) },
			} {
				got, err := readAll(r(), declared, identity)
				if err != nil || !bytes.Equal(got, body) {
					t.Errorf("declared %d identity %v %s: %d bytes, %v", declared, identity, name, len(got), err)
				}
			}
		}
	}
	if _, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10, true); err != io.ErrUnexpectedEOF {
		t.Errorf("a failing body: %v", err)
	}
}

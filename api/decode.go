package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

func decodeStrict(data []byte, v any) error {
	if req, ok := v.(*PushRequest); ok && decodePushFast(data, req) {
		return nil // the plain shape, as encoding/json would decode it (pushdecode.go)
	}
	return decodeStrictJSON(data, v)
}

// decodeStrictJSON is decodeStrict with encoding/json alone.
func decodeStrictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty body")
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

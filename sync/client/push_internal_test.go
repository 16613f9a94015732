package client

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
)

// TestEncodePushMatchesMarshal: the hand-written push body is byte for
// byte what json.Marshal writes for the same api.PushRequest when the
// entry documents are as forms.Entry.Encode writes them (json.Marshal:
// compact, HTML characters escaped), for ids and grades that need
// escaping too, with and without a grade, and for no items; and it
// decodes to the same request.
func TestEncodePushMatchesMarshal(t *testing.T) {
	doc := func(id string) []byte {
		b, err := json.Marshal(map[string]any{"id": id, "answers": map[string]any{"a": map[string]any{"value": "x<y & \"z\" \u2028"}}, "n": []any{1, 2.5, -3e2}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := map[string][]Item{
		"none": {},
		"one":  {{EntryID: "e1", Revision: 1, Hash: "ab", Grade: "standard", Payload: doc("e1")}},
		"escaping and no grade": {
			{EntryID: "e\"<2>&\u2028é", Revision: 7, Hash: "cd", Payload: doc("e2")},
			{EntryID: "e3", Revision: 12, Hash: "ef", Grade: "imm\"ediate", Immediate: true, Payload: doc("e3")},
		},
	}
	for name, items := range cases {
		t.Run(name, func(t *testing.T) {
			req := api.PushRequest{DeviceID: "dev-1\"\\", Items: make([]api.PushItem, len(items))}
			for i, it := range items {
				req.Items[i] = api.PushItem{EntryID: it.EntryID, Revision: it.Revision, ContentHash: it.Hash, DeviceGrade: it.Grade, Entry: json.RawMessage(it.Payload)}
			}
			want, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			for round := 0; round < 2; round++ { // the second reuses a pooled writer
				body, err := encodePush(req.DeviceID, items)
				if err != nil {
					t.Fatal(err)
				}
				zr, err := gzip.NewReader(body)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("body\n%s\nwant\n%s", got, want)
				}
				var back api.PushRequest
				if err := json.Unmarshal(got, &back); err != nil || back.DeviceID != req.DeviceID || len(back.Items) != len(items) {
					t.Fatalf("decoded %+v, %v", back, err)
				}
			}
		})
	}
}

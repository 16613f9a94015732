package http_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// FuzzPush feeds arbitrary bodies (plain or declared gzip) to the push
// route of a real server over a real SQLite file: the answer is never a
// 5xx, always JSON, and a 200 has one result per item.
func FuzzPush(f *testing.F) {
	_, srv := centraltest.Start(f, centraltest.SQLite)
	dev := srv.Enrol(f, "")
	officer := srv.UserID(f, "officer1")
	good, _ := json.Marshal(api.PushRequest{DeviceID: dev.DeviceID, Items: []api.PushItem{centraltest.Item(centraltest.NewEntry(officer, 2), "standard")}})
	f.Add(good, false)
	f.Add(gz(nil, good), true)
	f.Add([]byte(`{"deviceId":"`+dev.DeviceID+`","items":[{"entryId":"x","revision":1,"contentHash":"","entry":{}}]}`), false)
	f.Add([]byte(`{"deviceId":"`+dev.DeviceID+`","items":[{"entryId":"x","revision":-1,"entry":null}]}`), false)
	f.Add([]byte(`{"deviceId":"`+dev.DeviceID+`","items":[{"entry":{"id":"a","checklist":{"id":"test-referral","version":"1.0.0"},"revision":1,"answers":{"q":{"value":[1,2]}}}}]}`), false)
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), true)
	f.Add([]byte(`[]`), false)
	h := srv.HTTP.Handler()
	f.Fuzz(func(t *testing.T, body []byte, gzipped bool) {
		req := httptest.NewRequest("POST", "/v1/push", bytes.NewReader(body))
		req.Header.Set("Content-Type", api.MediaTypeJSON)
		req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
		req.Header.Set("Authorization", "Bearer "+dev.Credential)
		if gzipped {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.Bytes())
		}
		if rec.Code == http.StatusOK {
			var resp api.PushResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("200 with bad JSON: %v", err)
			}
			var sent api.PushRequest
			if err := api.DecodeStrict(maybeGunzip(body, gzipped), &sent); err == nil && len(resp.Results) != len(sent.Items) {
				t.Fatalf("%d results for %d items", len(resp.Results), len(sent.Items))
			}
			return
		}
		var we api.Error
		if err := json.Unmarshal(rec.Body.Bytes(), &we); err != nil || we.Code == "" {
			t.Fatalf("status %d without an error code: %s", rec.Code, rec.Body.Bytes())
		}
	})
}

package http_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	centralhttp "github.com/safeguard-uk/safeguard/central/http"
	"github.com/safeguard-uk/safeguard/central/sqlite"
	"github.com/safeguard-uk/safeguard/forms"
)

// counts returns the number of entries and revisions stored.
func counts(t *testing.T, srv *centraltest.Server) (int, int) {
	t.Helper()
	db := srv.Store.(*sqlite.Store).DB // the same type for both backends
	var e, r int
	if err := db.QueryRowContext(context.Background(), "SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM revisions)").Scan(&e, &r); err != nil {
		t.Fatal(err)
	}
	return e, r
}

type rawReq struct {
	name     string
	method   string
	path     string
	body     []byte
	ctype    string
	encoding string
	version  string // "-" for none
	token    string
	status   int
	code     string
}

func gz(_ testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// TestBadInput sends malformed, oversized, compressed-bomb, mistyped,
// forged and replayed requests: each gets a 4xx with an error code, nothing
// is stored, and nothing crashes.
func TestBadInput(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			limits := centralhttp.Options{MaxPushBytes: 256 << 10, MaxDecodedBytes: 1 << 20, MaxJSONBytes: 4 << 10}
			_, srv := startValidated(t, backend, centraltest.WithHTTPOptions(limits))
			dev := srv.Enrol(t, "")
			officer := srv.UserID(t, "officer1")
			client := validatingClient(t)

			good := func(items ...api.PushItem) []byte {
				b, _ := json.Marshal(api.PushRequest{DeviceID: dev.DeviceID, Items: items})
				return b
			}
			e := centraltest.NewEntry(officer, 1)
			bomb := gz(t, append([]byte(`{"deviceId":"`+dev.DeviceID+`","items":[],"x":"`), bytes.Repeat([]byte("A"), 50<<20)...))
			many := make([]api.PushItem, 101)
			for i := range many {
				many[i] = centraltest.Item(centraltest.NewEntry(officer, 1), "")
			}
			cases := []rawReq{
				{name: "malformed json", body: []byte(`{"deviceId":`), status: 400, code: "malformed"},
				{name: "not json at all", body: []byte("\x00\xff\xfe garbage"), status: 400, code: "malformed"},
				{name: "unknown field", body: []byte(`{"deviceId":"` + dev.DeviceID + `","items":[],"evil":1}`), status: 400, code: "malformed"},
				{name: "trailing data", body: append(good(centraltest.Item(e, "")), []byte(`{}`)...), status: 400, code: "malformed"},
				{name: "wrong types", body: []byte(`{"deviceId":1,"items":"x"}`), status: 400, code: "malformed"},
				{name: "oversized", body: append([]byte(`{"deviceId":"`), bytes.Repeat([]byte("A"), 300<<10)...), status: 413, code: "too_large"},
				{name: "gzip bomb", body: bomb, encoding: "gzip", status: 413, code: "too_large"},
				{name: "broken gzip", body: []byte("\x1f\x8b\x08\x00garbage"), encoding: "gzip", status: 400, code: "malformed"},
				{name: "gzip that is not gzip", body: good(centraltest.Item(e, "")), encoding: "gzip", status: 400, code: "malformed"},
				{name: "unknown encoding", body: good(centraltest.Item(e, "")), encoding: "br", status: 415, code: "unsupported_media_type"},
				{name: "wrong content type", body: good(centraltest.Item(e, "")), ctype: "text/plain", status: 415, code: "unsupported_media_type"},
				{name: "form content type", body: []byte("a=b"), ctype: "application/x-www-form-urlencoded", status: 415, code: "unsupported_media_type"},
				{name: "no version header", body: good(centraltest.Item(e, "")), version: "-", status: 426, code: "upgrade_required"},
				{name: "too old", body: good(centraltest.Item(e, "")), version: "0", status: 426, code: "upgrade_required"},
				{name: "too new", body: good(centraltest.Item(e, "")), version: "99", status: 400, code: "invalid"},
				{name: "no credential", body: good(centraltest.Item(e, "")), token: "-", status: 401, code: "unauthorized"},
				{name: "forged credential", body: good(centraltest.Item(e, "")), token: "forged", status: 401, code: "unauthorized"},
				{name: "forged device id", body: func() []byte {
					b, _ := json.Marshal(api.PushRequest{DeviceID: "someone-else", Items: []api.PushItem{centraltest.Item(e, "")}})
					return b
				}(), status: 403, code: "forbidden"},
				{name: "empty batch", body: good(), status: 400, code: "invalid"},
				{name: "too many items", body: good(many...), status: 413, code: "too_large"},
				{name: "unknown route", method: "GET", path: "/v1/nothing-here", status: 404, code: "not_found"},
				{name: "pull bad cursor", method: "GET", path: "/v1/pull?cursor=abc", status: 400, code: "invalid"},
				{name: "pull bad limit", method: "GET", path: "/v1/pull?limit=-1", status: 400, code: "invalid"},
				{name: "login oversized", path: "/v1/login", body: bytes.Repeat([]byte("x"), 5<<10), token: "-", status: 413, code: "too_large"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					e0, r0 := counts(t, srv)
					if c.method == "" {
						c.method = "POST"
					}
					if c.path == "" {
						c.path = "/v1/push"
					}
					req, _ := http.NewRequest(c.method, srv.URL+c.path, bytes.NewReader(c.body))
					if c.method == "POST" {
						if c.ctype == "" {
							c.ctype = api.MediaTypeJSON
						}
						req.Header.Set("Content-Type", c.ctype)
					}
					if c.encoding != "" {
						req.Header.Set("Content-Encoding", c.encoding)
					}
					switch c.version {
					case "":
						req.Header.Set(api.HeaderVersion, strconv.Itoa(api.Version))
					case "-":
					default:
						req.Header.Set(api.HeaderVersion, c.version)
					}
					switch c.token {
					case "":
						req.Header.Set("Authorization", "Bearer "+dev.Credential)
					case "-":
					default:
						req.Header.Set("Authorization", "Bearer "+c.token)
					}
					if c.name == "unknown route" {
						req.Header.Set(undocumented, "1")
					}
					resp, err := client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					raw, _ := io.ReadAll(resp.Body)
					var we api.Error
					json.Unmarshal(raw, &we)
					if resp.StatusCode != c.status || we.Code != c.code {
						t.Errorf("got %d %s, want %d %s", resp.StatusCode, raw, c.status, c.code)
					}
					if e1, r1 := counts(t, srv); e1 != e0 || r1 != r0 {
						t.Errorf("stored something: entries %d->%d, revisions %d->%d", e0, e1, r0, r1)
					}
				})
			}
		})
	}
}

// TestRejectedItems checks per-item refusals: each is rejected with a
// reason, nothing of it is stored, and the good item beside it is.
func TestRejectedItems(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend)
			dev := srv.Enrol(t, "")
			devB := srv.Enrol(t, "team-b")
			officer := srv.UserID(t, "officer1")
			c := srv.Client(dev.Credential)
			c.HTTP = validatingClient(t)

			// An entry of team B, to try to overwrite from team A.
			theirs := centraltest.NewEntry(srv.UserID(t, "officer3"), 1)
			if r := srv.Push(t, devB, centraltest.Item(theirs, "")).Results[0]; r.Status != api.StatusAccepted {
				t.Fatal(r)
			}
			e0, r0 := counts(t, srv)

			unknown := centraltest.NewEntry(officer, 1)
			unknown.Checklist = forms.Ref{ID: "test-referral", Version: "9.9.9"}
			notUUID := centraltest.NewEntry(officer, 1)
			notUUID.ID = "not-a-uuid"
			otherOfficer := centraltest.NewEntry(srv.UserID(t, "officer3"), 1)
			noOfficer := centraltest.NewEntry("", 1)
			ghost := centraltest.NewEntry("00000000-0000-0000-0000-000000000000", 1)
			hijack := centraltest.Revise(theirs)
			hijack.Officer = officer
			badHash := centraltest.Item(centraltest.NewEntry(officer, 1), "")
			badHash.ContentHash = strings.Repeat("ab", 32)
			mismatch := centraltest.Item(centraltest.NewEntry(officer, 1), "")
			mismatch.EntryID = theirs.ID
			badAge := centraltest.NewEntry(officer, 1)
			badAge.Groups["child"][0].Answers["child_age"] = forms.Answer{Value: float64(40)}
			training := centraltest.NewEntry(officer, 1) // later sent as live with the same id
			badDoc := api.PushItem{EntryID: "x", Revision: 1, ContentHash: strings.Repeat("0", 64), Entry: json.RawMessage(`{"id":"x","nonsense":true}`)}
			good := centraltest.NewEntry(officer, 3)

			items := []api.PushItem{
				centraltest.Item(unknown, ""), centraltest.Item(notUUID, ""), centraltest.Item(otherOfficer, ""),
				centraltest.Item(noOfficer, ""), centraltest.Item(ghost, ""), centraltest.Item(hijack, ""), badHash, mismatch,
				centraltest.Item(badAge, ""), badDoc, centraltest.Item(good, "standard"),
			}
			var res api.PushResponse
			if st, raw := c.Do(t, "POST", "/v1/push", api.PushRequest{DeviceID: dev.DeviceID, Items: items}, &res); st != 200 {
				t.Fatalf("%d %s", st, raw)
			}
			for i, r := range res.Results[:len(items)-1] {
				if r.Status != api.StatusRejected || len(r.Reasons) == 0 {
					t.Errorf("item %d: %+v, want rejected with reasons", i, r)
				}
			}
			if res.Results[0].Permanent {
				t.Errorf("unknown checklist version should be retryable: %+v", res.Results[0])
			}
			if !strings.Contains(strings.Join(res.Results[8].Reasons, " "), "child_age") {
				t.Errorf("problem reasons should name the question: %+v", res.Results[8])
			}
			if last := res.Results[len(items)-1]; last.Status != api.StatusAccepted {
				t.Errorf("good item: %+v", last)
			}
			if e1, r1 := counts(t, srv); e1 != e0+1 || r1 != r0+1 {
				t.Errorf("stored entries %d->%d, revisions %d->%d; want exactly the good one", e0, e1, r0, r1)
			}

			// Training and live never share an id.
			training.Training = true
			if r := srv.Push(t, dev, centraltest.Item(training, "")).Results[0]; r.Status != api.StatusAccepted || !strings.HasPrefix(r.Receipt, "TR-") {
				t.Fatalf("training: %+v", r)
			}
			live := centraltest.Revise(training)
			live.Training = false
			if r := srv.Push(t, dev, centraltest.Item(live, "")).Results[0]; r.Status != api.StatusRejected {
				t.Fatalf("training to live: %+v", r)
			}
			// Replay of the whole batch: duplicates only, nothing new stored.
			e2, r2 := counts(t, srv)
			var again api.PushResponse
			c.Do(t, "POST", "/v1/push", api.PushRequest{DeviceID: dev.DeviceID, Items: items}, &again)
			if again.Results[len(items)-1].Status != api.StatusDuplicate || again.Results[len(items)-1].Receipt != res.Results[len(items)-1].Receipt {
				t.Errorf("replay: %+v", again.Results[len(items)-1])
			}
			if e3, r3 := counts(t, srv); e3 != e2 || r3 != r2 {
				t.Errorf("replay stored something")
			}
			// A used enrolment code is refused.
			if st, _ := srv.Client("").Do(t, "POST", "/v1/enrol", api.EnrolRequest{Code: srv.EnrolmentCode, DeviceName: "a"}, nil); st != 201 {
				t.Fatalf("first use of the demo code: %d", st)
			}
			if st, _ := srv.Client("").Do(t, "POST", "/v1/enrol", api.EnrolRequest{Code: srv.EnrolmentCode, DeviceName: "b"}, nil); st != 401 {
				t.Errorf("replayed enrolment code: %d", st)
			}
		})
	}
}

// TestGzipPush checks a gzip-compressed push is accepted.
func TestGzipPush(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	b, _ := json.Marshal(api.PushRequest{DeviceID: dev.DeviceID, Items: []api.PushItem{centraltest.Item(centraltest.NewEntry(srv.UserID(t, "officer1"), 5), "standard")}})
	req, _ := http.NewRequest("POST", srv.URL+"/v1/push", bytes.NewReader(gz(t, b)))
	req.Header.Set("Content-Type", api.MediaTypeJSON)
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(api.HeaderVersion, "1")
	req.Header.Set("Authorization", "Bearer "+dev.Credential)
	resp, err := validatingClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out api.PushResponse
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 || out.Results[0].Status != api.StatusAccepted {
		t.Fatalf("%d %+v", resp.StatusCode, out)
	}
}

func maybeGunzip(b []byte, gzipped bool) []byte {
	if !gzipped {
		return b
	}
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(r, 64<<20))
	return out
}

package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/api"
)

// TestFieldNames pins the JSON names devices depend on: renaming a field is
// a protocol change (a new Version), not a refactor.
func TestFieldNames(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{api.PushItem{EntryID: "e", Revision: 2, ContentHash: "h", DeviceGrade: "high", Entry: json.RawMessage(`{}`)},
			`{"entryId":"e","revision":2,"contentHash":"h","deviceGrade":"high","entry":{}}`},
		{api.PushResult{EntryID: "e", Revision: 1, Status: api.StatusAccepted, Receipt: "SG-2026-000001", Grade: "high", Missing: []string{"d"}},
			`{"entryId":"e","revision":1,"status":"accepted","receipt":"SG-2026-000001","grade":"high","missing":["d"]}`},
		{api.PushResult{EntryID: "e", Revision: 1, Status: api.StatusRejected, Reasons: []string{"r"}, Permanent: true},
			`{"entryId":"e","revision":1,"status":"rejected","reasons":["r"],"permanent":true}`},
		{api.Change{Seq: 7, Kind: api.KindDecision, EntryID: "e", Revision: 1, Decision: api.DecisionReturned,
			Comments: []api.Comment{{Question: "child[c1].child_words", Text: "t"}}, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
			`{"seq":7,"kind":"decision","entryId":"e","revision":1,"decision":"returned","comments":[{"question":"child[c1].child_words","text":"t"}],"at":"2026-01-02T03:04:05Z"}`},
		{api.AttachmentStatus{EntryID: "e", SHA256: "d", Size: 10, Offset: 4},
			`{"entryId":"e","sha256":"d","size":10,"offset":4,"complete":false}`},
		{api.Error{Code: api.CodeDeviceRevoked, Message: "m", Wipe: true}, `{"code":"device_revoked","message":"m","wipe":true}`},
		{api.PullResponse{Changes: []api.Change{}, Cursor: "12", More: true}, `{"changes":[],"cursor":"12","more":true}`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("%T:\n got %s\nwant %s", c.v, b, c.want)
		}
	}
}

func TestDecodeStrict(t *testing.T) {
	var r api.PushRequest
	if err := api.DecodeStrict([]byte(`{"deviceId":"d","items":[]}`), &r); err != nil || r.DeviceID != "d" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, bad := range []string{``, `{"deviceId":"d","extra":1}`, `{"deviceId":"d"} {}`, `{"deviceId":`, `[]`} {
		if err := api.DecodeStrict([]byte(bad), &r); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	e := &api.Error{Code: "x", Message: "y"}
	if !strings.Contains(e.Error(), "x: y") {
		t.Error(e.Error())
	}
	if api.MinVersion > api.Version {
		t.Error("MinVersion above Version")
	}
}

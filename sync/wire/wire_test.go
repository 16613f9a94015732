package wire_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/sync/wire"
)

// TestFieldNames pins the JSON names devices depend on: renaming a field is
// a protocol change (a new Version), not a refactor.
func TestFieldNames(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{wire.PushItem{EntryID: "e", Revision: 2, ContentHash: "h", DeviceGrade: "high", Entry: json.RawMessage(`{}`)},
			`{"entryId":"e","revision":2,"contentHash":"h","deviceGrade":"high","entry":{}}`},
		{wire.PushResult{EntryID: "e", Revision: 1, Status: wire.StatusAccepted, Receipt: "SG-2026-000001", Grade: "high", Missing: []string{"d"}},
			`{"entryId":"e","revision":1,"status":"accepted","receipt":"SG-2026-000001","grade":"high","missing":["d"]}`},
		{wire.PushResult{EntryID: "e", Revision: 1, Status: wire.StatusRejected, Reasons: []string{"r"}, Permanent: true},
			`{"entryId":"e","revision":1,"status":"rejected","reasons":["r"],"permanent":true}`},
		{wire.Change{Seq: 7, Kind: wire.KindDecision, EntryID: "e", Revision: 1, Decision: wire.DecisionReturned,
			Comments: []wire.Comment{{Question: "child[c1].child_words", Text: "t"}}, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
			`{"seq":7,"kind":"decision","entryId":"e","revision":1,"decision":"returned","comments":[{"question":"child[c1].child_words","text":"t"}],"at":"2026-01-02T03:04:05Z"}`},
		{wire.AttachmentStatus{EntryID: "e", SHA256: "d", Size: 10, Offset: 4},
			`{"entryId":"e","sha256":"d","size":10,"offset":4,"complete":false}`},
		{wire.Error{Code: wire.CodeDeviceRevoked, Message: "m", Wipe: true}, `{"code":"device_revoked","message":"m","wipe":true}`},
		{wire.PullResponse{Changes: []wire.Change{}, Cursor: "12", More: true}, `{"changes":[],"cursor":"12","more":true}`},
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
	var r wire.PushRequest
	if err := wire.DecodeStrict([]byte(`{"deviceId":"d","items":[]}`), &r); err != nil || r.DeviceID != "d" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, bad := range []string{``, `{"deviceId":"d","extra":1}`, `{"deviceId":"d"} {}`, `{"deviceId":`, `[]`} {
		if err := wire.DecodeStrict([]byte(bad), &r); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	e := &wire.Error{Code: "x", Message: "y"}
	if !strings.Contains(e.Error(), "x: y") {
		t.Error(e.Error())
	}
	if wire.MinVersion > wire.Version {
		t.Error("MinVersion above Version")
	}
}

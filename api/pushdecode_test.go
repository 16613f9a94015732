package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const pushSeed = `{"deviceId":"d-1","items":[{"entryId":"0b7c6f1e-0000-4000-8000-000000000001","revision":2,` +
	`"contentHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","deviceGrade":"high",` +
	`"entry":{"id":"x","answers":{"a":{"value":"b \"q\" }{ ]["}},"groups":{"child":[{"id":"c","answers":{}}]}}},` +
	`{"entryId":"e2","revision":1,"contentHash":"h","entry":{}}]}`

// checkPushDecode: where the fast decoder takes an input, encoding/json
// decodes it too, to the same request (entries byte-equal).
func checkPushDecode(t *testing.T, data []byte) (fast bool) {
	var a, b PushRequest
	fast = decodePushFast(data, &a)
	err := decodeStrictJSON(data, &b)
	if !fast {
		return false
	}
	if err != nil {
		t.Fatalf("fast decoder took %q, encoding/json refused it: %v", data, err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("decoded %q\nfast %+v\njson %+v", data, a, b)
	}
	return true
}

// TestPushDecodeFast: the plain shape takes the fast path and decodes as
// encoding/json does; every other shape tried falls back (and so gets
// encoding/json's result or error).
func TestPushDecodeFast(t *testing.T) {
	for _, in := range []string{pushSeed, " \n" + pushSeed + "\n ", `{"deviceId":"d","items":[]}`, `{"items":[],"deviceId":"d"}`, `{}`,
		`{"deviceId":"d","items":[{"revision":-0}]}`} {
		if !checkPushDecode(t, []byte(in)) {
			t.Errorf("the plain shape %q fell back", in)
		}
	}
	for _, in := range []string{
		``, `null`, `[]`, pushSeed + `x`, pushSeed + `{}`,
		strings.Replace(pushSeed, `"deviceId"`, `"DeviceID"`, 1),                  // case-insensitive match: encoding/json's rule
		strings.Replace(pushSeed, `"deviceGrade"`, `"grade"`, 1),                  // unknown field
		strings.Replace(pushSeed, `"d-1"`, `"d\u002d1"`, 1),                       // an escape
		strings.Replace(pushSeed, `"d-1"`, `"dŴ"`, 1),                             // not ASCII
		strings.Replace(pushSeed, `"revision":2`, `"revision":2.0`, 1),            // a fraction
		strings.Replace(pushSeed, `"revision":2`, `"revision":1e0`, 1),            // an exponent
		strings.Replace(pushSeed, `"revision":2`, `"revision":02`, 1),             // a leading zero
		strings.Replace(pushSeed, `"revision":2`, `"revision":"2"`, 1),            // a string
		strings.Replace(pushSeed, `"revision":2`, `"revision":2,"revision":3`, 1), // a repeated key
		strings.Replace(pushSeed, `"entry":{}`, `"entry":null`, 1),                // not an object
		strings.Replace(pushSeed, `"entry":{}`, `"entry":{"a":}`, 1),              // not JSON
		strings.Replace(pushSeed, `"entry":{}`, `"entry":{"a":1]`, 1),             // mismatched brackets
		`{"deviceId":"d","items":null}`, `{"deviceId":"d","items":[null]}`, `{"deviceId":"d","items":[{}],}`,
		`{"deviceId":"d","items":[{"revision":99999999999999999999}]}`,
	} {
		if checkPushDecode(t, []byte(in)) {
			t.Errorf("%q took the fast path", in)
		}
	}
}

// FuzzPushDecode: on any input the fast decoder takes, encoding/json
// agrees (run with -fuzz for at most 20 s).
func FuzzPushDecode(f *testing.F) {
	f.Add([]byte(pushSeed))
	f.Add([]byte(`{"deviceId":"d","items":[{"entryId":"e","revision":1,"entry":{"x":[1,{"y":"\\"}"}]}}]}`))
	var big PushRequest
	if err := json.Unmarshal([]byte(pushSeed), &big); err == nil {
		b, _ := json.Marshal(big)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkPushDecode(t, data) })
}

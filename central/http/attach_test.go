package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
)

type attClient struct {
	t    *testing.T
	base string
	cred string
	hc   *http.Client
}

func (a attClient) do(method, path string, off int64, body []byte, ctype string) (*http.Response, []byte) {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	req.Header.Set(api.HeaderVersion, "1")
	req.Header.Set("Authorization", "Bearer "+a.cred)
	if method == "PATCH" {
		req.Header.Set("Content-Type", ctype)
		req.Header.Set(api.HeaderOffset, strconv.FormatInt(off, 10))
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

func code(raw []byte) string {
	var e api.Error
	json.Unmarshal(raw, &e)
	return e.Code
}

// TestAttachmentResume uploads a photo in chunks, interrupted and resumed
// from the stored offset; a wrong offset is 409, a corrupt upload is
// discarded on completion (422); the entry is complete once all are in.
func TestAttachmentResume(t *testing.T) {
	for _, backend := range centraltest.Backends {
		t.Run(backend, func(t *testing.T) {
			_, srv := startValidated(t, backend, centraltest.WithConfig(central.Config{MaxAttachment: 1 << 20}))
			dev := srv.Enrol(t, "")
			e := centraltest.NewEntry(srv.UserID(t, "officer1"), 1)
			photo := bytes.Repeat([]byte("JPEGDATA"), 40000) // 320 kB
			digest := centraltest.Photo(e, photo)
			huge := make([]byte, 2<<20)
			huge[0] = 1
			hugeDigest := centraltest.Photo(e, huge) // over the 1 MiB limit: refused
			res := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]
			if res.Status != api.StatusAccepted || len(res.Missing) != 1 || res.Missing[0] != digest {
				t.Fatalf("push: %+v", res)
			}
			a := attClient{t: t, base: srv.URL, cred: dev.Credential, hc: strictClient(t)}
			path := "/v1/entries/" + e.ID + "/attachments/" + digest

			resp, _ := a.do("HEAD", path, 0, nil, "")
			if resp.StatusCode != 200 || resp.Header.Get(api.HeaderOffset) != "0" || resp.Header.Get(api.HeaderLength) != "320000" {
				t.Fatalf("HEAD: %d %v", resp.StatusCode, resp.Header)
			}
			loose := a // for requests that break the document on purpose
			loose.hc = validatingClient(t)
			if resp, raw := loose.do("PATCH", path, 0, photo[:100000], api.MediaTypeJSON); resp.StatusCode != 415 {
				t.Fatalf("wrong type: %d %s", resp.StatusCode, raw)
			}
			if resp, raw := a.do("PATCH", path, 0, photo[:100000], api.MediaTypeChunk); resp.StatusCode != 200 {
				t.Fatalf("chunk 1: %d %s", resp.StatusCode, raw)
			}
			// The connection "dropped": the device resends from a stale offset.
			if resp, raw := a.do("PATCH", path, 0, photo[:100000], api.MediaTypeChunk); resp.StatusCode != 409 || code(raw) != "offset_mismatch" {
				t.Fatalf("stale offset: %d %s", resp.StatusCode, raw)
			}
			var st api.AttachmentStatus
			resp, raw := a.do("GET", path, 0, nil, "")
			json.Unmarshal(raw, &st)
			if resp.StatusCode != 200 || st.Offset != 100000 || st.Complete {
				t.Fatalf("GET offset: %d %s", resp.StatusCode, raw)
			}
			if resp, raw := a.do("PATCH", path, st.Offset, append(photo[100000:], 'X'), api.MediaTypeChunk); resp.StatusCode != 413 {
				t.Fatalf("past the size: %d %s", resp.StatusCode, raw)
			}
			// Corrupt final chunk: discarded, start again from 0.
			bad := append([]byte(nil), photo[100000:]...)
			bad[5] ^= 0xff
			if resp, raw := a.do("PATCH", path, 100000, bad, api.MediaTypeChunk); resp.StatusCode != 422 || code(raw) != "checksum_mismatch" {
				t.Fatalf("corrupt: %d %s", resp.StatusCode, raw)
			}
			resp, _ = a.do("HEAD", path, 0, nil, "")
			if resp.Header.Get(api.HeaderOffset) != "0" {
				t.Fatalf("after mismatch the offset is %s, want 0", resp.Header.Get(api.HeaderOffset))
			}
			for off := 0; off < len(photo); off += 128 << 10 {
				end := min(off+128<<10, len(photo))
				if resp, raw := a.do("PATCH", path, int64(off), photo[off:end], api.MediaTypeChunk); resp.StatusCode != 200 {
					t.Fatalf("chunk at %d: %d %s", off, resp.StatusCode, raw)
				}
			}
			resp, raw = a.do("GET", path, 0, nil, "")
			json.Unmarshal(raw, &st)
			if resp.StatusCode != 200 || !st.Complete || st.Offset != int64(len(photo)) {
				t.Fatalf("not complete: %s", raw)
			}
			// A repeated final append is harmless.
			if resp, raw := a.do("PATCH", path, int64(len(photo)), nil, api.MediaTypeChunk); resp.StatusCode != 200 {
				t.Fatalf("repeat: %d %s", resp.StatusCode, raw)
			}
			// The refused one: 413 and flagged.
			if resp, raw := a.do("PATCH", "/v1/entries/"+e.ID+"/attachments/"+hugeDigest, 0, huge[:10], api.MediaTypeChunk); resp.StatusCode != 413 {
				t.Fatalf("over the limit: %d %s", resp.StatusCode, raw)
			}
			// Unknown attachment, unknown entry, another team's device.
			other := "/v1/entries/" + e.ID + "/attachments/" + "ab" + digest[2:]
			if resp, _ := a.do("HEAD", other, 0, nil, ""); resp.StatusCode != 404 {
				t.Errorf("unknown attachment: %d", resp.StatusCode)
			}
			devB := srv.Enrol(t, "team-b")
			b := a
			b.cred = devB.Credential
			if resp, _ := b.do("GET", path, 0, nil, ""); resp.StatusCode != 404 {
				t.Errorf("other team's device: %d", resp.StatusCode)
			}

			// The supervisor downloads it (audited); the entry lists the refusal.
			sup := srv.Client(srv.Login(t, "sergeant1"))
			sup.HTTP = a.hc
			st2, body := sup.Do(t, "GET", "/v1/review/entries/"+e.ID+"/attachments/"+digest, nil, nil)
			if st2 != 200 || !bytes.Equal(body, photo) {
				t.Fatalf("download: %d, %d bytes", st2, len(body))
			}
			var v api.EntryView
			sup.Do(t, "GET", "/v1/review/entries/"+e.ID, nil, &v)
			if v.Complete || len(v.Attachments) != 2 {
				t.Fatalf("view: complete=%v %+v", v.Complete, v.Attachments)
			}
		})
	}
}

// TestAttachmentCompletesEntry checks the queue shows an entry complete
// once its only photo is in.
func TestAttachmentCompletesEntry(t *testing.T) {
	_, srv := startValidated(t, centraltest.SQLite)
	dev := srv.Enrol(t, "")
	e := centraltest.NewEntry(srv.UserID(t, "officer1"), 1)
	photo := []byte("a small photo")
	digest := centraltest.Photo(e, photo)
	srv.Push(t, dev, centraltest.Item(e, ""))
	sup := srv.Client(srv.Login(t, "sergeant1"))
	var q api.QueueResponse
	sup.Do(t, "GET", "/v1/review/queue", nil, &q)
	if len(q.Items) != 1 || q.Items[0].Complete {
		t.Fatalf("before: %+v", q.Items)
	}
	a := attClient{t: t, base: srv.URL, cred: dev.Credential, hc: validatingClient(t)}
	if resp, raw := a.do("PATCH", "/v1/entries/"+e.ID+"/attachments/"+digest, 0, photo, api.MediaTypeChunk); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	sup.Do(t, "GET", "/v1/review/queue", nil, &q)
	if !q.Items[0].Complete {
		t.Fatalf("after: %+v", q.Items)
	}
	// Pushing the same revision again now reports nothing missing.
	if r := srv.Push(t, dev, centraltest.Item(e, "")).Results[0]; r.Status != api.StatusDuplicate || len(r.Missing) != 0 {
		t.Fatalf("duplicate: %+v", r)
	}
}

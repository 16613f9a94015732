package central_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/safeguard-uk/safeguard/central"
)

// TestAuditHashFields: the chain hash is SHA-256 over "len:field;" for the
// previous hash and each field, as records already in stores were chained
// (the reference here writes them with fmt, as the first version did).
func TestAuditHashFields(t *testing.T) {
	for _, r := range []central.AuditRecord{
		{Seq: 1, At: time.UnixMicro(1_700_000_000_123_456), Actor: "device:d1", Action: "entry.receive", EntryID: "e1", Revision: 2, Detail: `{"receipt":"SG-2026-000001"}`},
		{Seq: 1 << 40, At: time.UnixMicro(-5), Actor: "", Action: "", EntryID: "", Revision: -1, Detail: "Ŵyn ; 12:x"},
	} {
		for _, prev := range []string{"", "k1:key:abcdef", "0123456789abcdef"} {
			h := sha256.New()
			for _, f := range []string{prev, strconv.FormatInt(r.Seq, 10), strconv.FormatInt(r.At.UnixMicro(), 10), r.Actor, r.Action, r.EntryID,
				strconv.Itoa(r.Revision), r.Detail} {
				fmt.Fprintf(h, "%d:%s;", len(f), f)
			}
			if got, want := central.AuditHash(prev, r), hex.EncodeToString(h.Sum(nil)); got != want {
				t.Errorf("AuditHash(%q, %+v) = %s, want %s", prev, r, got, want)
			}
		}
	}
}

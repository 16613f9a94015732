package central

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestReceiveDetailMatchesMarshal: the entry.receive detail written by
// hand is byte for byte what json.Marshal made of the detail map (records
// already chained hold that form), over fixed odd device grades and
// random ones.
func TestReceiveDetailMatchesMarshal(t *testing.T) {
	marshal := func(receipt, grade, computed string, training bool, hash string, disagrees bool, deviceGrade string, changed int) string {
		detail := map[string]any{"receipt": receipt, "grade": grade, "computed": computed, "training": training, "hash": hash}
		if disagrees {
			detail["deviceGrade"] = deviceGrade
			detail["gradeDisagrees"] = true
		}
		if changed > 0 {
			detail["changed"] = changed
		}
		b, err := json.Marshal(detail)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	grades := []string{"", "standard", "high", "immediate", `"quoted"`, `back\slash`, "<b>&amp;</b>", "tab\there", "nul\x00", "Ŵyn",
		"\xff\xfe bad utf-8", "\u2028 line sep", "emoji 🙂", "\x7f del"}
	r := rand.New(rand.NewPCG(17, 17))
	for i := 0; i < 5000; i++ {
		dg := grades[r.IntN(len(grades))]
		if i%3 == 0 {
			b := make([]byte, r.IntN(12))
			for j := range b {
				b[j] = byte(r.IntN(256))
			}
			dg = string(b)
		}
		receipt, hash := "SG-2026-000123", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		training, disagrees, changed := r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(4)-1
		grade, computed := grades[r.IntN(4)], grades[r.IntN(4)]
		got := receiveDetail(receipt, grade, computed, training, hash, disagrees, dg, changed)
		want := marshal(receipt, grade, computed, training, hash, disagrees, dg, changed)
		if got != want {
			t.Fatalf("receiveDetail(%q, %q, %v, %v, %q, %d)\n got %s\nwant %s", grade, computed, training, disagrees, dg, changed, got, want)
		}
	}
}

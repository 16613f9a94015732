package referral

import (
	"io"
	"testing"
)

// BenchmarkPDF renders the complete example's referral.
func BenchmarkPDF(b *testing.B) {
	d := completeDoc(b)
	if _, err := loadFaces(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.PDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild builds the complete example's referral.
func BenchmarkBuild(b *testing.B) {
	c := checklist(b)
	e := example(b, "complete-entry.json")
	res := evaluate(b, c, e)
	m := testMeta()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(c, e, res, m); err != nil {
			b.Fatal(err)
		}
	}
}

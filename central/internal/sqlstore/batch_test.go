package sqlstore

import (
	"reflect"
	"testing"
)

// TestUnnestInsert checks the PostgreSQL form of a queued INSERT: one
// array per column in row order, literals kept, the statement's tail kept,
// and the VALUES form used instead when a column mixes types.
func TestUnnestInsert(t *testing.T) {
	q := `INSERT INTO attachments (entry_id, sha256, size, media_type, received, complete, refused)
		VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (entry_id, sha256) DO NOTHING`
	head, tuple, tail, err := splitValues(q)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"e1", "s1", int64(10), "image/jpeg", false, true},
		{"e2", "s2", 20, "image/png", true, false},
	}
	got, args, ok := unnestInsert(head, tuple, tail, rows)
	if !ok {
		t.Fatal("not rewritten")
	}
	want := `INSERT INTO attachments (entry_id, sha256, size, media_type, received, complete, refused)
		SELECT c1, c2, c3, c4, 0, c5, c6 FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), ` +
		`CAST(? AS BOOLEAN[]), CAST(? AS BOOLEAN[])) AS u(c1, c2, c3, c4, c5, c6) ON CONFLICT (entry_id, sha256) DO NOTHING`
	if got != want {
		t.Errorf("statement\n got %s\nwant %s", got, want)
	}
	wantArgs := []any{[]string{"e1", "e2"}, []string{"s1", "s2"}, []int64{10, 20}, []string{"image/jpeg", "image/png"},
		[]bool{false, true}, []bool{true, false}}
	if !reflect.DeepEqual(args, wantArgs) {
		t.Errorf("args\n got %#v\nwant %#v", args, wantArgs)
	}

	rows[1][1] = nil // a NULL: not one plain type
	if _, _, ok := unnestInsert(head, tuple, tail, rows); ok {
		t.Error("a column with a nil value was rewritten")
	}
	rows[1][1] = "s2"
	rows[1] = rows[1][:5] // fewer arguments than placeholders
	if _, _, ok := unnestInsert(head, tuple, tail, rows); ok {
		t.Error("a row with too few arguments was rewritten")
	}
}

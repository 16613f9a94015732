package sqldialect

import "testing"

func TestRebind(t *testing.T) {
	for _, c := range []struct {
		d       Dialect
		in, out string
	}{
		{Postgres, "a = ? AND b IN (?, ?)", "a = $1 AND b IN ($2, $3)"},
		{Postgres, "SELECT 1", "SELECT 1"},
		{Postgres, "x = ? ü ?", "x = $1 ü $2"},
		{SQLite, "a = ? AND b = ?", "a = ? AND b = ?"},
	} {
		if got := c.d.Rebind(c.in); got != c.out {
			t.Errorf("%s.Rebind(%q) = %q, want %q", c.d, c.in, got, c.out)
		}
	}
	if SQLite.String() != "sqlite" || Postgres.String() != "postgres" || Dialect(7).String() != "dialect(7)" {
		t.Errorf("names %s %s %s", SQLite, Postgres, Dialect(7))
	}
}

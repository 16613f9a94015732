// Package sqldialect names the two SQL flavours the stores speak (SQLite
// and PostgreSQL) and rewrites a query's "?" placeholders for them. The
// central store (central/internal/sqlstore) and the person index
// (people/internal/sqlindex) share it.
package sqldialect

import (
	"strconv"
	"strings"
)

// Dialect is an SQL flavour.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota
	Postgres
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// Rebind rewrites q's "?" placeholders as "$1", "$2"... for PostgreSQL;
// SQLite's queries are returned as they are. The stores' queries hold no
// "?" inside string literals.
func (d Dialect) Rebind(q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

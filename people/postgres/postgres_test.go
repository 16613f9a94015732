package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/peopletest"
	"github.com/safeguard-uk/safeguard/people/postgres"
)

// defaultDSN is the test server when SAFEGUARD_TEST_POSTGRES is unset.
const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	reachOnce sync.Once
	reachErr  error
	loudOnce  sync.Once
)

// baseDSN returns the server to test against, skipping the test loudly
// when it cannot be reached (failing it when CI=true).
func baseDSN(t *testing.T) string {
	dsn := os.Getenv("SAFEGUARD_TEST_POSTGRES")
	if dsn == "" {
		dsn = defaultDSN
	}
	reachOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			err = db.PingContext(ctx)
			db.Close()
		}
		reachErr = err
	})
	if reachErr != nil {
		msg := fmt.Sprintf("\n\n!!!!!!!! POSTGRESQL UNREACHABLE (%v): people/postgres NOT TESTED !!!!!!!!\n"+
			"!!!!!!!! set SAFEGUARD_TEST_POSTGRES or start PostgreSQL at %s !!!!!!!!\n\n", reachErr, dsn)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		// On stderr too: go test shows a skip's message only with -v.
		loudOnce.Do(func() { fmt.Fprint(os.Stderr, msg) })
		t.Skip(msg)
	}
	return dsn
}

// open returns an index in a schema of its own, dropped after the test.
func open(t *testing.T) people.Index { return openWith(t) }

func openWith(t *testing.T, opts ...postgres.Option) *postgres.Index {
	dsn := baseDSN(t)
	schema := "people_test_" + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	idx, err := postgres.Open(t.Context(), u.String(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestContract(t *testing.T) { peopletest.Run(t, open) }

// TestContractSealed: the contract with particulars sealed and keys
// blinded, and a planted name nowhere in the stored rows.
func TestContractSealed(t *testing.T) {
	s := peopletest.NewSealer()
	peopletest.Run(t, func(t *testing.T) people.Index { return openWith(t, postgres.WithSealer(s)) })

	idx := openWith(t, postgres.WithSealer(s))
	r := peopletest.Rec("Zebedee", "Quixotefarnsworth", people.MakeDate(2013, 7, 19), "MF1 1AA")
	id, err := idx.Add(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := idx.DB.QueryRowContext(t.Context(),
		"SELECT count(*) FROM people_record WHERE lower(data) LIKE '%zebedee%' OR data LIKE '%2013-07-19%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("planted name stored in the clear: %d rows, %v", n, err)
	}
	d, err := people.NewMatcher(idx).Match(t.Context(), peopletest.Rec("Zebedee", "Quixotefarnsworth", people.MakeDate(2013, 7, 19), "MF1 1AA"))
	if err != nil || d.Kind != people.Sure || d.Match != id {
		t.Fatalf("sealed record not found: %+v %v", d, err)
	}
}

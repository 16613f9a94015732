package postgres_test

import (
	"testing"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/central/centraltest"
	"github.com/safeguard-uk/safeguard/central/storetest"
)

// TestContract runs the store contract against PostgreSQL, each test in a
// schema of its own (dropped afterwards). It skips loudly when PostgreSQL
// is unreachable, and fails when CI=true.
func TestContract(t *testing.T) {
	centraltest.RequirePostgres(t)
	storetest.Run(t, func(t *testing.T) central.Store {
		s, _ := centraltest.OpenStore(t, centraltest.Postgres)
		return s
	})
}

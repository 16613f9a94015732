package http_test

import (
	"net/http"
	"testing"

	"github.com/safeguard-uk/safeguard/central/centraltest"
)

// startValidated starts a server (placeholder until the OpenAPI checks land).
func startValidated(t *testing.T, backend string, opts ...centraltest.Option) (string, *centraltest.Server) {
	return centraltest.Start(t, backend, opts...)
}

func validatingClient(t *testing.T) *http.Client { return http.DefaultClient }

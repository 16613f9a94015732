// Package genclient is a client of the central system's /v1 API generated
// by oapi-codegen from api/openapi.yaml, and nothing else: it exists so
// that a program written only against the published spec (package
// api/walk's test) can prove the spec and the server agree. The project's
// own clients are in sync/client and app/supervisor.
package genclient

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config config.yaml ../openapi.yaml

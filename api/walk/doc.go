// Package walk holds the contract test of the /v1 API: walk_test.go walks
// the main flows (enrol, officer sign-in, push, the supervisor's queue,
// open, approve, the referral JSON, pull, and the error answers) against
// a real central server on loopback using only the client oapi-codegen
// generated from api/openapi.yaml (package api/genclient), and decodes
// every answer strictly: an unknown field, a missing required member, or
// a status the spec does not describe for the route fails the test. The
// package has no non-test code.
package walk

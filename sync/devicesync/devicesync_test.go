package devicesync

import (
	"errors"
	"testing"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/devicestore"
	"github.com/safeguard-uk/safeguard/sync/client"
)

// Every outcome the engine can report maps to the store's, and an unknown
// one is refused rather than passed through.
func TestOutcomeMapping(t *testing.T) {
	for in, want := range map[client.Outcome]devicestore.Outcome{
		client.Accepted:  devicestore.OutcomeAccepted,
		client.Duplicate: devicestore.OutcomeDuplicate,
		client.Conflict:  devicestore.OutcomeConflict,
		client.Rejected:  devicestore.OutcomeRejected,
	} {
		got, err := outcome(in)
		if err != nil || got != want {
			t.Errorf("outcome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := outcome("lost"); !errors.Is(err, devicestore.ErrInvalid) {
		t.Errorf("unknown outcome: %v, want ErrInvalid", err)
	}
}

func TestDecisionMapping(t *testing.T) {
	for in, want := range map[api.Decision]devicestore.Decision{
		api.DecisionApproved: devicestore.DecisionApproved,
		api.DecisionReturned: devicestore.DecisionReturned,
	} {
		if got, ok := decision(in); !ok || got != want {
			t.Errorf("decision(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := decision("escalated"); ok {
		t.Error("an unknown decision mapped")
	}
}

package words

import (
	"strings"
	"testing"
)

// TestNoBracketPlurals: no message says "(s)".
func TestNoBracketPlurals(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5} {
		for _, s := range []string{ToDo(n), WrongPIN(n), Waiting(n, n, "1 KB"), WaitingChecks(n)} {
			if strings.Contains(s, "(s)") {
				t.Errorf("%q has a bracket plural", s)
			}
			if n == 1 && (strings.Contains(s, " things") || strings.Contains(s, "PINs") || strings.Contains(s, " checks")) {
				t.Errorf("%q: plural noun for one", s)
			}
		}
	}
	if got := WrongPIN(1); !strings.Contains(got, "One more wrong PIN") {
		t.Errorf("WrongPIN(1) = %q", got)
	}
	if got := Waiting(1, 0, "2 KB"); got != "to send: 1 check (2 KB)" {
		t.Errorf("Waiting(1, 0) = %q", got)
	}
}

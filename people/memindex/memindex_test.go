package memindex_test

import (
	"testing"

	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/memindex"
	"github.com/safeguard-uk/safeguard/people/peopletest"
)

func TestContract(t *testing.T) {
	peopletest.Run(t, func(t *testing.T) people.Index { return memindex.New() })
}

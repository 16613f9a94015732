package population

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/safeguard-uk/safeguard/people"
	"github.com/safeguard-uk/safeguard/people/sqlite"
)

func TestDebugMisses(t *testing.T) {
	if os.Getenv("DEBUGMISS") == "" {
		t.Skip()
	}
	cfg := DefaultConfig()
	if os.Getenv("BIG") != "" {
		cfg.Seed, cfg.Records, cfg.Background = 4, 10000, 100000
	}
	pop := Generate(cfg)
	idx, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "x.db")+"?_pragma=synchronous(OFF)")
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	// replicate evaluate but print
	items := []people.BulkItem{}
	truthOfPerson := map[uuid.UUID]uuid.UUID{}
	for _, k := range pop.Background {
		pid := uuid.NewSHA1(uuid.NameSpaceOID, k.Record.ID[:])
		items = append(items, people.BulkItem{Person: pid, Record: k.Record})
		truthOfPerson[pid] = k.Truth
	}
	rels := func(yield func(people.Relationship) bool) {
		for _, k := range pop.Background {
			for _, r := range k.Rels {
				if !yield(r) {
					return
				}
			}
		}
	}
	load(context.Background(), idx, items, rels)
	_ = slog.New(slog.NewTextHandler(io.Discard, nil))
	m := people.NewMatcher(idx)
	hist := map[string]int{}
	byTruth := map[uuid.UUID][]uuid.UUID{}
	for _, it := range items {
		byTruth[truthOfPerson[it.Person]] = append(byTruth[truthOfPerson[it.Person]], it.Person)
	}
	shown := 0
	for _, enc := range pop.Encounters {
		out, err := m.Ingest(context.Background(), enc.Entry, people.DefaultAlertRules)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range out.Decisions {
			truth := enc.Truth[d.RecordID]
			right := d.Match != uuid.Nil && truthOfPerson[d.Match] == truth
			if d.Kind != people.Sure {
				truthOfPerson[d.Person] = truth
			}
			if d.Kind == people.New && len(byTruth[truth]) > 0 && os.Getenv("NEWMISS") != "" {
				rec := enc.Entry.Records[i]
				for _, pid := range byTruth[truth] {
					p, _ := idx.Person(context.Background(), pid)
					c := people.NewScorer().Compare(&rec.Particulars, nil, &p.Particulars, nil, people.Env{})
					qk := people.QueryKeys(&rec.Particulars, people.DefaultNicknames)
					sk := people.Keys(&p.Particulars, people.DefaultNicknames)
					shared := 0
					for _, a := range qk {
						for _, b := range sk {
							if a == b {
								shared++
							}
						}
					}
					fmt.Printf("NEWMISS %.3f keys=%d cands=%d %v\n   rec: %q %q %s %s %v\n   per: %q %q %s %v %s %v %v\n", c.Score, shared, d.Candidates, c.Reasons(), rec.Name.Given, rec.Name.Family, rec.DOB, rec.Sex, rec.Addresses, p.Name.Given, p.Name.Family, p.DOB, p.Aliases, p.Sex, p.AliasDOBs, p.Addresses)
				}
			}
			byTruth[truth] = append(byTruth[truth], d.Person)
			if d.Kind == people.Possible || d.Kind == people.Sure && !right {
				key := fmt.Sprintf("%s %v %v", d.Kind, right, d.Reasons)
				hist[key]++
				if shown < 40 && os.Getenv("SHOW") != "" && strings.Contains(fmt.Sprint(d.Kind, " ", right, " ", d.Reasons), os.Getenv("SHOW")) {
					shown++
					rec := enc.Entry.Records[i]
					p, _ := idx.Person(context.Background(), d.Match)
					fmt.Printf("%s %.3f %v\n   rec: %q %q %s %s %v\n   per: %q %q %s %v %s %v %v\n", d.Kind, d.Score, d.Reasons, rec.Name.Given, rec.Name.Family, rec.DOB, rec.Sex, rec.Addresses, p.Name.Given, p.Name.Family, p.DOB, p.Aliases, p.Sex, p.AliasDOBs, p.Addresses)
				}
			}
		}
	}
	var keys []string
	for k := range hist {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return hist[keys[i]] > hist[keys[j]] })
	for _, k := range keys[:min(70, len(keys))] {
		fmt.Println(hist[k], strings.TrimSpace(k))
	}
}

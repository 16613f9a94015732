package people

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
)

// Node is one person of a family network, with their entries.
type Node struct {
	Person  Person       `json:"person"`
	History []Appearance `json:"history"`
	// Depth is the number of links from the people the network started
	// from (0 for them).
	Depth int `json:"depth"`
}

// Network is the family network around some people: what the
// supervisor's view draws as a graph (people, relationships, prior
// entries with their grades and dates).
type Network struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
	// Truncated is set when MaxPeople cut the network short.
	Truncated bool `json:"truncated,omitempty"`
}

// DefaultNetworkMaxPeople bounds a network (a large associate web is cut
// rather than drawn unreadably).
const DefaultNetworkMaxPeople = 200

// BuildNetwork returns the people within depth links of start (depth 1:
// their relatives; 2: their relatives' relatives), at most maxPeople
// (0: DefaultNetworkMaxPeople), and every relationship among them.
func BuildNetwork(ctx context.Context, idx Index, start []uuid.UUID, depth, maxPeople int) (Network, error) {
	if maxPeople <= 0 {
		maxPeople = DefaultNetworkMaxPeople
	}
	var net Network
	depthOf := map[uuid.UUID]int{}
	var order []uuid.UUID
	for _, id := range start {
		p, err := idx.Person(ctx, id)
		if err != nil {
			return net, fmt.Errorf("network: %w", err)
		}
		if _, ok := depthOf[p.ID]; !ok {
			depthOf[p.ID] = 0
			order = append(order, p.ID)
		}
	}
	frontier := slices.Clone(order)
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		edges, err := idx.Edges(ctx, frontier)
		if err != nil {
			return net, fmt.Errorf("network: %w", err)
		}
		frontier = nil
		for _, e := range edges {
			for _, id := range []uuid.UUID{e.From, e.To} {
				if _, ok := depthOf[id]; ok {
					continue
				}
				if len(order) >= maxPeople {
					net.Truncated = true
					continue
				}
				depthOf[id] = d
				order = append(order, id)
				frontier = append(frontier, id)
			}
		}
	}
	edges, err := idx.Edges(ctx, order)
	if err != nil {
		return net, fmt.Errorf("network: %w", err)
	}
	for _, e := range edges {
		_, a := depthOf[e.From]
		_, b := depthOf[e.To]
		if a && b && !slices.ContainsFunc(net.Edges, func(x Edge) bool { return x.ID == e.ID }) {
			net.Edges = append(net.Edges, e)
		}
	}
	for _, id := range order {
		p, err := idx.Person(ctx, id)
		if err != nil {
			return net, fmt.Errorf("network: %w", err)
		}
		h, err := idx.History(ctx, id)
		if err != nil {
			return net, fmt.Errorf("network: %w", err)
		}
		net.Nodes = append(net.Nodes, Node{Person: p, History: h, Depth: depthOf[id]})
	}
	return net, nil
}

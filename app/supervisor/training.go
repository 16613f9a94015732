package supervisor

import (
	"context"
	"net/http"

	"fyne.io/fyne/v2"

	"github.com/safeguard-uk/safeguard/api"
)

// TrainingResults lists the practice checks of the trainer's classes with
// their documents (GET /v1/training/results; trainers only).
func (c *Client) TrainingResults(ctx context.Context) (api.TrainingResults, error) {
	var out api.TrainingResults
	err := c.do(ctx, http.MethodGet, "/v1/training/results", nil, &out)
	return out, err
}

// Action is an extra button on the queue's header (the trainer's desk
// adds "Class results" and "Scenarios").
type Action struct {
	Label string
	Icon  fyne.Resource
	Do    func()
}

package http

import (
	"net/http"

	"github.com/safeguard-uk/safeguard/central"
)

// trainingRoutes are the trainer's desk's own routes (beside the reviewer
// routes every namespace has).
func trainingRoutes() []Route {
	return []Route{
		{Name: "training_results", Method: "GET", Pattern: "/v1/training/results", Auth: AuthUser, Roles: trainer, handle: (*Server).trainingResults},
	}
}

func (s *Server) trainingResults(w http.ResponseWriter, r *http.Request, p central.Principal) error {
	v, err := s.svc.TrainingResults(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

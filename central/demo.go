package central

import (
	"context"
	"fmt"

	"github.com/safeguard-uk/safeguard/api"
)

// Demo accounts, made by SeedDemo for demonstrations and tests only. Never
// seed a live system: the password is public.
const (
	// DemoPassword is every demo account's password.
	DemoPassword = "safeguard-demo"
	// DemoEnrolmentCode enrols a device into team A (reusable only until
	// used; SeedDemo issues it again when it has been used).
	DemoEnrolmentCode = "DEMO-TEAM-AAAA"
	DemoTeamA         = "team-a"
	DemoTeamB         = "team-b"
)

// DemoUsers lists the demo accounts: username, name, role, teams.
var DemoUsers = []api.UserRequest{
	{Username: "officer1", Name: "PC Alex Officer", Role: api.RoleOfficer, Teams: []string{DemoTeamA}},
	{Username: "officer2", Name: "PC Sam Second", Role: api.RoleOfficer, Teams: []string{DemoTeamA}},
	{Username: "officer3", Name: "PC Bo Bravo", Role: api.RoleOfficer, Teams: []string{DemoTeamB}},
	{Username: "sergeant1", Name: "Sgt Jo Supervisor", Role: api.RoleSupervisor, Teams: []string{DemoTeamA}},
	{Username: "sergeant2", Name: "Sgt Kim Bravo", Role: api.RoleSupervisor, Teams: []string{DemoTeamB}},
	{Username: "trainer1", Name: "Chris Trainer", Role: api.RoleTrainer, Teams: []string{DemoTeamA}},
	{Username: "admin", Name: "Demo Administrator", Role: api.RoleAdmin},
}

// SeedDemo creates the demo teams and accounts that do not exist yet and
// issues DemoEnrolmentCode for team A (unless it is issued and unused). It
// returns the code.
func (s *Service) SeedDemo(ctx context.Context) (string, error) {
	sys := System("demo-seed")
	for _, t := range []api.TeamRequest{{ID: DemoTeamA, Name: "Team A (demo)"}, {ID: DemoTeamB, Name: "Team B (demo)"}} {
		if _, err := s.CreateTeam(ctx, sys, t); err != nil && ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("demo team: %w", err)
		}
	}
	for _, u := range DemoUsers {
		u.Password = DemoPassword
		if _, err := s.CreateUser(ctx, sys, u); err != nil && ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("demo user %s: %w", u.Username, err)
		}
	}
	code := DemoEnrolmentCode
	if _, err := s.CreateEnrolmentCode(ctx, sys, api.EnrolmentCodeRequest{Team: DemoTeamA}, code); err != nil {
		if ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("demo enrolment code: %w", err)
		}
		// The fixed code was used: issue a fresh random one.
		c, err := s.CreateEnrolmentCode(ctx, sys, api.EnrolmentCodeRequest{Team: DemoTeamA}, "")
		if err != nil {
			return "", fmt.Errorf("demo enrolment code: %w", err)
		}
		code = c.Code
	}
	return code, nil
}

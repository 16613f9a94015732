package central

import (
	"context"
	"fmt"

	"github.com/safeguard-uk/safeguard/sync/wire"
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
var DemoUsers = []wire.UserRequest{
	{Username: "officer1", Name: "PC Alex Officer", Role: wire.RoleOfficer, Teams: []string{DemoTeamA}},
	{Username: "officer2", Name: "PC Sam Second", Role: wire.RoleOfficer, Teams: []string{DemoTeamA}},
	{Username: "officer3", Name: "PC Bo Bravo", Role: wire.RoleOfficer, Teams: []string{DemoTeamB}},
	{Username: "sergeant1", Name: "Sgt Jo Supervisor", Role: wire.RoleSupervisor, Teams: []string{DemoTeamA}},
	{Username: "sergeant2", Name: "Sgt Kim Bravo", Role: wire.RoleSupervisor, Teams: []string{DemoTeamB}},
	{Username: "trainer1", Name: "Chris Trainer", Role: wire.RoleTrainer, Teams: []string{DemoTeamA}},
	{Username: "admin", Name: "Demo Administrator", Role: wire.RoleAdmin},
}

// SeedDemo creates the demo teams and accounts that do not exist yet and
// issues DemoEnrolmentCode for team A (unless it is issued and unused). It
// returns the code.
func (s *Service) SeedDemo(ctx context.Context) (string, error) {
	sys := System("demo-seed")
	for _, t := range []wire.TeamRequest{{ID: DemoTeamA, Name: "Team A (demo)"}, {ID: DemoTeamB, Name: "Team B (demo)"}} {
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
	if _, err := s.CreateEnrolmentCode(ctx, sys, wire.EnrolmentCodeRequest{Team: DemoTeamA}, code); err != nil {
		if ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("demo enrolment code: %w", err)
		}
		// The fixed code was used: issue a fresh random one.
		c, err := s.CreateEnrolmentCode(ctx, sys, wire.EnrolmentCodeRequest{Team: DemoTeamA}, "")
		if err != nil {
			return "", fmt.Errorf("demo enrolment code: %w", err)
		}
		code = c.Code
	}
	return code, nil
}

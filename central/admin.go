package central

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-uk/safeguard/api"
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
)

// CreateTeam adds a team.
func (s *Service) CreateTeam(ctx context.Context, p Principal, req api.TeamRequest) (*api.Team, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	req.Name = strings.TrimSpace(req.Name)
	if !idPattern.MatchString(req.ID) {
		return nil, Errorf(EINVALID, "team id must be lower-case letters, digits, - and _ (at most 63)")
	}
	if req.Name == "" || len(req.Name) > 200 {
		return nil, Errorf(EINVALID, "team name must be 1 to 200 characters")
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Team(ctx, req.ID); err == nil {
			return Errorf(ECONFLICT, "team %q exists", req.ID)
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		if err := tx.CreateTeam(ctx, Team{ID: req.ID, Name: req.Name, Created: s.now()}); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "team.create", "", 0, map[string]any{"team": req.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("create team: %w", err)
	}
	return &api.Team{ID: req.ID, Name: req.Name}, nil
}

// CreateUser adds an account with an argon2id-hashed password.
func (s *Service) CreateUser(ctx context.Context, p Principal, req api.UserRequest) (*api.User, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	req.Name = strings.TrimSpace(req.Name)
	role := Role(req.Role)
	switch {
	case !usernamePattern.MatchString(req.Username):
		return nil, Errorf(EINVALID, "username must be lower-case letters, digits, '.', '-' and '_' (at most 63)")
	case req.Name == "" || len(req.Name) > 200:
		return nil, Errorf(EINVALID, "name must be 1 to 200 characters")
	case !role.Valid():
		return nil, Errorf(EINVALID, "role must be officer, supervisor, trainer or admin")
	case len(req.Password) < MinPasswordLength || len(req.Password) > 1000:
		return nil, Errorf(EINVALID, "the password must be at least %d characters", MinPasswordLength)
	case role == RoleOfficer && len(req.Teams) != 1:
		return nil, Errorf(EINVALID, "an officer belongs to exactly one team")
	case role == RoleAdmin && len(req.Teams) != 0:
		return nil, Errorf(EINVALID, "an administrator belongs to no team")
	}
	teams := slices.Clone(req.Teams)
	slices.Sort(teams)
	teams = slices.Compact(teams)
	hash, err := HashPassword(req.Password, s.cfg.Argon2)
	if err != nil {
		return nil, err
	}
	u := User{ID: uuid.NewString(), Username: req.Username, Name: req.Name, Role: role, Teams: teams, PasswordHash: hash, Created: s.now()}
	err = s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.UserByUsername(ctx, u.Username); err == nil {
			return Errorf(ECONFLICT, "username %q is taken", u.Username)
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		for _, t := range teams {
			if _, err := tx.Team(ctx, t); err != nil {
				return notFound(err, fmt.Sprintf("no team %q", t))
			}
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.create", "", 0, map[string]any{"user": u.ID, "username": u.Username, "role": string(u.Role), "teams": teams})
	})
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	w := wireUser(u)
	return &w, nil
}

// SetPassword changes an account's password and ends its sessions.
func (s *Service) SetPassword(ctx context.Context, p Principal, username, password string) error {
	if !p.isAdmin() {
		return forbidden()
	}
	if len(password) < MinPasswordLength || len(password) > 1000 {
		return Errorf(EINVALID, "the password must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(password, s.cfg.Argon2)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return notFound(err, "no such user")
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "user.password", "", 0, map[string]any{"user": u.ID})
	})
}

// DisableUser disables an account, ends its sessions and, for anyone who
// makes entries, tells the devices of their teams to sign them out.
func (s *Service) DisableUser(ctx context.Context, p Principal, username string) error {
	if !p.isAdmin() {
		return forbidden()
	}
	return s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return notFound(err, "no such user")
		}
		if u.Disabled {
			return nil
		}
		author := canAuthor(&u)
		u.Disabled = true
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if author {
			for _, t := range u.Teams {
				if _, err := tx.AppendChange(ctx, Change{Team: t, Body: api.Change{Kind: api.KindRevocation, Text: u.ID, At: s.now()}}); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, p, "user.disable", "", 0, map[string]any{"user": u.ID})
	})
}

// ListUsers lists accounts.
func (s *Service) ListUsers(ctx context.Context, p Principal) ([]api.User, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	var out []api.User
	err := s.store.View(ctx, func(tx Tx) error {
		us, err := tx.ListUsers(ctx)
		for _, u := range us {
			out = append(out, wireUser(u))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.auditRead(ctx, p, "admin.users.list", map[string]any{"count": len(out)})
}

// Me returns the signed-in person.
func (s *Service) Me(p Principal) (*api.User, error) {
	if p.User == nil {
		return nil, forbidden()
	}
	u := wireUser(*p.User)
	return &u, nil
}

// CreateEnrolmentCode issues a one-time device enrolment code for a team.
// code may be given (demo set-up); otherwise a random one is made.
func (s *Service) CreateEnrolmentCode(ctx context.Context, p Principal, req api.EnrolmentCodeRequest, code string) (*api.EnrolmentCode, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	ttl := s.cfg.EnrolmentTTL
	if req.TTLSeconds < 0 || req.TTLSeconds > int64((30*24*time.Hour)/time.Second) {
		return nil, Errorf(EINVALID, "ttlSeconds must be between 0 and 30 days")
	}
	if req.TTLSeconds > 0 {
		ttl = time.Duration(req.TTLSeconds) * time.Second
	}
	if code == "" {
		var err error
		if code, err = newEnrolmentCode(); err != nil {
			return nil, err
		}
	}
	now := s.now()
	ec := EnrolmentCode{CodeHash: TokenHash(NormaliseCode(code)), Team: req.Team, CreatedBy: p.Actor(), Created: now, Expires: now.Add(ttl)}
	err := s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Team(ctx, req.Team); err != nil {
			return notFound(err, fmt.Sprintf("no team %q", req.Team))
		}
		if old, err := tx.EnrolmentCode(ctx, ec.CodeHash); err == nil {
			if old.Used == nil && now.Before(old.Expires) {
				return nil // the same code re-issued (demo start-up): keep the first
			}
			return Errorf(ECONFLICT, "that code was used before")
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		if err := tx.CreateEnrolmentCode(ctx, ec); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "enrolment_code.create", "", 0, map[string]any{"team": req.Team, "expires": ec.Expires})
	})
	if err != nil {
		return nil, fmt.Errorf("create enrolment code: %w", err)
	}
	return &api.EnrolmentCode{Code: code, Team: req.Team, Expires: ec.Expires}, nil
}

// ListDevices lists enrolled devices.
func (s *Service) ListDevices(ctx context.Context, p Principal) (*api.DeviceList, error) {
	if !p.isAdmin() {
		return nil, forbidden()
	}
	out := &api.DeviceList{Devices: []api.Device{}}
	err := s.store.View(ctx, func(tx Tx) error {
		ds, err := tx.ListDevices(ctx)
		for _, d := range ds {
			out.Devices = append(out.Devices, api.Device{ID: d.ID, Name: d.Name, Team: d.Team, Enrolled: d.Enrolled,
				LastSeen: d.LastSeen, Revoked: d.Revoked, Reason: d.RevokedReason})
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out, s.auditRead(ctx, p, "admin.devices.list", map[string]any{"count": len(out.Devices)})
}

// RevokeDevice revokes a device: its next request is refused and it is
// told to wipe itself.
func (s *Service) RevokeDevice(ctx context.Context, p Principal, id, reason string) error {
	if !p.isAdmin() {
		return forbidden()
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return Errorf(EINVALID, "say why the device is revoked (lost, stolen, retired)")
	}
	return s.store.Update(ctx, func(tx Tx) error {
		d, err := tx.DeviceByID(ctx, id)
		if err != nil {
			return notFound(err, "no such device")
		}
		if d.Revoked != nil {
			return nil
		}
		if err := tx.RevokeDevice(ctx, id, s.now(), reason); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "device.revoke", "", 0, map[string]any{"device": id, "reason": reason})
	})
}

package central

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"

	"github.com/safeguard-uk/safeguard/api"
)

// Argon2Params is the cost of an argon2id password hash.
type Argon2Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 follows the RFC 9106 second recommendation (64 MiB, 3
// passes), lighter on threads for a small server.
var DefaultArgon2 = Argon2Params{Time: 3, Memory: 64 * 1024, Threads: 2}

// MinPasswordLength is the shortest password accepted for a new account.
const MinPasswordLength = 10

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string, p Argon2Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC-format hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.Memory > 1<<21 || p.Time > 20 || p.Threads == 0 { // refuse absurd costs from a corrupt row
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newToken returns a random bearer token (256 bits, URL-safe).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// TokenHash is how bearer tokens, device credentials and enrolment codes are
// stored: hex SHA-256. They are random and long, so a fast hash suffices.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// enrolmentAlphabet avoids letters and digits easily confused when read
// aloud or typed with gloves (no 0/O, 1/I/L).
const enrolmentAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newEnrolmentCode returns a code like "K7QM-X2PA-9FRT" (12 symbols of 31,
// about 59 bits: ample for a one-time code that expires).
func newEnrolmentCode() (string, error) {
	var b strings.Builder
	max := big.NewInt(int64(len(enrolmentAlphabet)))
	for i := 0; i < 12; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("enrolment code: %w", err)
		}
		b.WriteByte(enrolmentAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// NormaliseCode upper-cases a typed enrolment code and drops dashes and
// spaces, so "k7qm x2pa-9frt" matches "K7QM-X2PA-9FRT".
func NormaliseCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r == '-' || r == ' ' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// burnPasswordCheck makes an unknown username cost as long as a wrong
// password: once real checks have been timed, it waits as long as they
// take (their moving average, in the same slot), spending no CPU, so a
// flood of made-up names cannot burn the server's cores; before that it
// checks against a throwaway hash of the configured cost.
func (s *Service) burnPasswordCheck(ctx context.Context, password string) {
	if d := s.throttle.checkTime(); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return
	}
	s.dummyOnce.Do(func() { s.dummyHash, _ = HashPassword("not a password", s.cfg.Argon2) })
	s.timedCheck(s.dummyHash, password)
}

// timedCheck is CheckPassword, timed for burnPasswordCheck.
func (s *Service) timedCheck(hash, password string) bool {
	start := time.Now()
	ok := CheckPassword(hash, password)
	s.throttle.observeCheck(time.Since(start), s.cfg.Argon2.Threads)
	return ok
}

// wrongLogin is the one answer to every refused sign-in: an unknown name,
// a wrong password, a disabled account and an officer at the wrong door
// all read the same and cost the same time (the password is always hashed).
func wrongLogin() *Error {
	return Errorf(EUNAUTHORIZED, "username or password is wrong, or this account does not sign in here (officers sign in on an enrolled device)")
}

// checkPassword looks the account up (a read, never the write lock) and
// checks the password in one of the bounded hash slots, outside every
// transaction: a flood of sign-ins waits for slots or gets 429 and never
// holds up ingest. An unknown name burns a check of the same cost.
func (s *Service) checkPassword(ctx context.Context, username, password string) (User, bool, error) {
	var u User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.UserByUsername(ctx, username)
		return err
	})
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return User{}, false, err
	}
	release, aerr := s.throttle.acquire(ctx)
	if aerr != nil {
		return User{}, false, aerr
	}
	defer release()
	if err != nil {
		s.burnPasswordCheck(ctx, password)
		return User{}, false, nil
	}
	return u, s.timedCheck(u.PasswordHash, password) && !u.Disabled, nil
}

// refuse counts a failed credential attempt against its throttle keys and
// notes it, and any lockout it started, in the refusal ledger (with a
// keyed hash of the typed name, never the name), then returns answer. It
// writes nothing: the ledger is audited in one transaction per interval
// (FlushRefusals), so a flood of refusals never queues for the store's
// write lock.
func (s *Service) refuse(ctx context.Context, keys []throttleKey, p Principal, action, typed string, answer error) error {
	now := s.now()
	locked, failures := s.throttle.fail(now, keys)
	var events []lockoutEvent
	for _, k := range locked {
		d := s.throttle.lockedFor(k, now)
		e := lockoutEvent{kind: k.kind, minutes: int(d.Minutes()), at: now, until: now.Add(d), failures: failures,
			shared: s.sharedValue(k).value}
		if k.kind == KeyAccount {
			e.nameHash = e.shared
		} else {
			e.value = k.value
		}
		s.shareLockout(k, e.until)
		events = append(events, e)
	}
	nh := ""
	if typed != "" {
		nh = s.nameHash(typed)
	}
	s.noteRefusal(now, refusalGroup{action: action, actor: p.Actor(), source: SourceFrom(ctx)}, nh, failures, events)
	return answer
}

// Login checks a username and password and starts a session. Officers do
// not sign in here: they work through an enrolled device. Failures are
// throttled per account and per source address (429 with a wait).
func (s *Service) Login(ctx context.Context, username, password string) (_ *api.LoginResponse, err error) {
	defer func() {
		if c := ErrorCode(err); c == EUNAUTHORIZED || c == api.CodeRateLimited {
			s.throttle.tarpit(ctx)
		}
	}()
	if username == "" || password == "" || len(username) > 200 || len(password) > 1000 {
		return nil, wrongLogin()
	}
	keys := credentialKeys(ctx, username, "")
	if err := s.checkCredential(ctx, keys); err != nil {
		return nil, err
	}
	u, ok, err := s.checkPassword(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if !ok || u.Role == RoleOfficer {
		p := Principal{}
		if u.ID != "" {
			p = Principal{User: &u}
		}
		if err := s.refuse(ctx, keys, p, "login.failed", username, wrongLogin()); ErrorCode(err) != EUNAUTHORIZED {
			return nil, fmt.Errorf("login: %w", err)
		}
		return nil, wrongLogin()
	}
	s.throttle.succeed(keys[0])
	var resp *api.LoginResponse
	err = s.store.Update(ctx, func(tx Tx) error {
		tok, err := newToken()
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.DeleteExpiredSessions(ctx, now); err != nil {
			return err
		}
		sess := Session{TokenHash: TokenHash(tok), UserID: u.ID, Created: now, Expires: now.Add(s.cfg.SessionTTL)}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		resp = &api.LoginResponse{Token: tok, Expires: sess.Expires, User: wireUser(u)}
		return s.audit(ctx, tx, Principal{User: &u}, "login", "", 0, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	return resp, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, p Principal, token string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, TokenHash(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return s.audit(ctx, tx, p, "logout", "", 0, nil)
	})
}

// AuthenticateSession returns the person a session token belongs to.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (Principal, error) {
	var u User
	err := s.store.View(ctx, func(tx Tx) error {
		sess, err := tx.SessionByHash(ctx, TokenHash(token))
		if err != nil {
			return err
		}
		if !s.now().Before(sess.Expires) {
			return ErrNotFound
		}
		u, err = tx.UserByID(ctx, sess.UserID)
		return err
	})
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Principal{}, Errorf(EUNAUTHORIZED, "session unknown or expired: sign in again")
	case err != nil:
		return Principal{}, fmt.Errorf("authenticate session: %w", err)
	case u.Disabled:
		return Principal{}, Errorf(EUNAUTHORIZED, "account disabled")
	}
	return Principal{User: &u}, nil
}

// touchEvery bounds how often a device's last-seen time is written.
const touchEvery = time.Minute

// AuthenticateDevice returns the device a credential was issued to. A
// revoked device gets EREVOKED with Wipe set.
func (s *Service) AuthenticateDevice(ctx context.Context, credential string) (Principal, error) {
	var d Device
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		d, err = tx.DeviceByCredential(ctx, TokenHash(credential))
		return err
	})
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return Principal{}, Errorf(EUNAUTHORIZED, "device credential unknown: enrol the device again")
	case err != nil:
		return Principal{}, fmt.Errorf("authenticate device: %w", err)
	case d.Revoked != nil:
		return Principal{}, &Error{Code: EREVOKED, Message: "this device has been revoked: erase everything on it", Wipe: true}
	}
	now := s.now()
	if d.LastSeen == nil || now.Sub(*d.LastSeen) > touchEvery {
		if err := s.store.Update(ctx, func(tx Tx) error { return tx.TouchDevice(ctx, d.ID, now) }); err != nil {
			s.log.Warn("touch device", "device", d.ID, "err", err)
		}
	}
	return Principal{Device: &d}, nil
}

// Enrol exchanges a one-time enrolment code for a device credential.
func (s *Service) Enrol(ctx context.Context, req api.EnrolRequest) (_ *api.EnrolResponse, err error) {
	defer func() {
		if c := ErrorCode(err); c == EUNAUTHORIZED || c == api.CodeRateLimited {
			s.throttle.tarpit(ctx)
		}
	}()
	code := NormaliseCode(req.Code)
	name := strings.TrimSpace(req.DeviceName)
	if code == "" || len(code) > 64 {
		return nil, Errorf(EUNAUTHORIZED, "enrolment code is not valid")
	}
	if name == "" || len(name) > 100 {
		return nil, Errorf(EINVALID, "deviceName must be 1 to 100 characters")
	}
	keys := credentialKeys(ctx, "", "")
	if err := s.checkCredential(ctx, keys); err != nil {
		return nil, err
	}
	// A wrong code is found out with a read: refusals never take the
	// store's write lock.
	var known bool
	if err := s.store.View(ctx, func(tx Tx) error {
		ec, err := tx.EnrolmentCode(ctx, TokenHash(code))
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		known = err == nil && ec.Used == nil && s.now().Before(ec.Expires)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	var resp *api.EnrolResponse
	failed := !known
	if known {
		err = s.store.Update(ctx, func(tx Tx) error {
			now := s.now()
			ec, err := tx.EnrolmentCode(ctx, TokenHash(code))
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return err
			}
			if err != nil || ec.Used != nil || !now.Before(ec.Expires) {
				failed = true
				return nil
			}
			cred, err := newToken()
			if err != nil {
				return err
			}
			d := Device{ID: uuid.NewString(), Name: name, Team: ec.Team, CredentialHash: TokenHash(cred), Enrolled: now}
			if err := tx.CreateDevice(ctx, d); err != nil {
				return err
			}
			if err := tx.UseEnrolmentCode(ctx, ec.CodeHash, d.ID, now); err != nil {
				return err
			}
			resp = &api.EnrolResponse{DeviceID: d.ID, Credential: cred, Team: d.Team}
			return s.audit(ctx, tx, Principal{Device: &d}, "device.enrol", "", 0, map[string]any{"team": d.Team, "name": d.Name})
		})
	}
	if err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	if failed {
		wrong := Errorf(EUNAUTHORIZED, "enrolment code is not valid (unknown, used or expired)")
		if err := s.refuse(ctx, keys, Principal{}, "device.enrol.failed", "", wrong); ErrorCode(err) != EUNAUTHORIZED {
			return nil, fmt.Errorf("enrol: %w", err)
		}
		return nil, wrong
	}
	return resp, nil
}

// DeviceSignIn checks an officer's password through an enrolled device of
// the officer's team and names the officer.
func (s *Service) DeviceSignIn(ctx context.Context, p Principal, req api.SignInRequest) (_ *api.SignInResponse, err error) {
	defer func() {
		if c := ErrorCode(err); c == EUNAUTHORIZED || c == api.CodeRateLimited {
			s.throttle.tarpit(ctx)
		}
	}()
	if p.Device == nil {
		return nil, forbidden()
	}
	if req.Username == "" || req.Password == "" || len(req.Username) > 200 || len(req.Password) > 1000 {
		return nil, Errorf(EUNAUTHORIZED, "username or password is wrong")
	}
	keys := credentialKeys(ctx, req.Username, p.Device.ID)
	if err := s.checkCredential(ctx, keys); err != nil {
		return nil, err
	}
	u, ok, err := s.checkPassword(ctx, req.Username, req.Password)
	if err != nil {
		return nil, fmt.Errorf("device sign-in: %w", err)
	}
	if !ok {
		wrong := Errorf(EUNAUTHORIZED, "username or password is wrong")
		if err := s.refuse(ctx, keys, p, "device.signin.failed", req.Username, wrong); ErrorCode(err) != EUNAUTHORIZED {
			return nil, fmt.Errorf("device sign-in: %w", err)
		}
		return nil, wrong
	}
	s.throttle.succeed(keys[0])
	var resp *api.SignInResponse
	var failed error
	err = s.store.Update(ctx, func(tx Tx) error {
		if !canAuthor(&u) || !u.InTeam(p.Device.Team) {
			failed = Errorf(EFORBIDDEN, "this device belongs to another team")
			return s.audit(ctx, tx, p, "device.signin.refused", "", 0, map[string]any{"user": u.ID})
		}
		resp = &api.SignInResponse{Officer: u.ID, Name: u.Name, Team: p.Device.Team}
		if err := s.bindOfficer(ctx, tx, p.Device.ID, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, p, "device.signin", "", 0, map[string]any{"user": u.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("device sign-in: %w", err)
	}
	if failed != nil {
		return nil, failed
	}
	return resp, nil
}

// canAuthor reports whether the account may make entries: officers, and
// supervisors and trainers who attend incidents or demonstrate the
// checklist. Administrators never do.
func canAuthor(u *User) bool {
	return !u.Disabled && (u.Role == RoleOfficer || u.Role == RoleSupervisor || u.Role == RoleTrainer)
}

func wireUser(u User) api.User {
	teams := u.Teams
	if teams == nil {
		teams = []string{}
	}
	return api.User{ID: u.ID, Username: u.Username, Name: u.Name, Role: string(u.Role), Teams: teams, Disabled: u.Disabled}
}

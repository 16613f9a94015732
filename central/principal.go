package central

// Principal is who is calling: a device (by its credential), a person (by
// a session token) or the system itself (command-line administration).
type Principal struct {
	Device *Device
	User   *User
	// System names a trusted local actor, e.g. "cli" for the admin
	// commands run on the server; it has the administrator's rights.
	System string
}

// System returns the principal of a trusted local actor.
func System(name string) Principal { return Principal{System: name} }

// Actor names the principal in the audit trail.
func (p Principal) Actor() string {
	switch {
	case p.Device != nil:
		return "device:" + p.Device.ID
	case p.User != nil:
		return "user:" + p.User.ID
	case p.System != "":
		return "system:" + p.System
	}
	return "anonymous"
}

// Is reports whether the principal is a person with one of the roles.
func (p Principal) Is(roles ...Role) bool {
	if p.User == nil {
		return false
	}
	for _, r := range roles {
		if p.User.Role == r {
			return true
		}
	}
	return false
}

// isAdmin reports administrator rights (an admin user or the system).
func (p Principal) isAdmin() bool { return p.System != "" || p.Is(RoleAdmin) }

func forbidden() error { return Errorf(EFORBIDDEN, "your role does not allow this") }

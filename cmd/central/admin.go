package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/central"
)

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func adminFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, dbFlag(fs)
}

func quietLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db) // opening migrates
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func cmdDemoSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("demo-seed", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	code, err := svc.SeedDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo accounts (password %q):\n", central.DemoPassword)
	for _, u := range central.DemoUsers {
		fmt.Fprintf(stdout, "  %-10s %-10s %s\n", u.Username, u.Role, strings.Join(u.Teams, ","))
	}
	fmt.Fprintf(stdout, "device enrolment code for %s: %s\n", central.DemoTeamA, code)
	return nil
}

func cmdTeam(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: central team add ID NAME")
	}
	fs, db := adminFlags("team add", stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: central team add ID NAME")
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	t, err := svc.CreateTeam(ctx, cli, api.TeamRequest{ID: fs.Arg(0), Name: fs.Arg(1)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "team %s (%s) created\n", t.ID, t.Name)
	return nil
}

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: central user add USERNAME --name NAME --role ROLE [--team TEAM]... | list | disable USERNAME | passwd USERNAME"
	if len(args) == 0 {
		return errors.New(use)
	}
	sub := args[0]
	fs, db := adminFlags("user "+sub, stderr)
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "officer, supervisor, trainer or admin")
	var teams stringList
	fs.Var(&teams, "team", "team id (repeat for several)")
	// Allow the username before the flags.
	rest := args[1:]
	var username string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		username, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if username == "" && fs.NArg() > 0 {
		username = fs.Arg(0)
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "add":
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, cli, api.UserRequest{Username: username, Name: *name, Role: *role, Teams: teams, Password: pw})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s (%s, %s) created with id %s\n", u.Username, u.Role, strings.Join(u.Teams, ","), u.ID)
	case "list":
		us, err := svc.ListUsers(ctx, cli)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tTEAMS\tDISABLED\tID")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\n", u.Username, u.Role, strings.Join(u.Teams, ","), u.Disabled, u.ID)
		}
		return tw.Flush()
	case "disable":
		if err := svc.DisableUser(ctx, cli, username); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s disabled; their sessions ended\n", username)
	case "passwd":
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, cli, username, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions ended\n", username)
	default:
		return errors.New(use)
	}
	return nil
}

func cmdEnrolCode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("enrol-code", stderr)
	team := fs.String("team", "", "team the device will belong to")
	ttl := fs.Duration("ttl", central.DefaultEnrolmentTTL, "how long the code stays valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	c, err := svc.CreateEnrolmentCode(ctx, cli, api.EnrolmentCodeRequest{Team: *team, TTLSeconds: int64(ttl.Seconds())}, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolment code for team %s: %s (valid until %s; use once)\n", c.Team, c.Code, c.Expires.Format(time.RFC3339))
	return nil
}

func cmdDevice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: central device list | device revoke ID --reason TEXT"
	if len(args) == 0 {
		return errors.New(use)
	}
	sub := args[0]
	fs, db := adminFlags("device "+sub, stderr)
	reason := fs.String("reason", "", "why the device is revoked (lost, stolen, retired)")
	rest := args[1:]
	var id string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		id, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "list":
		ds, err := svc.ListDevices(ctx, cli)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tTEAM\tENROLLED\tREVOKED")
		for _, d := range ds.Devices {
			rev := "-"
			if d.Revoked != nil {
				rev = d.Revoked.Format(time.RFC3339) + " " + d.Reason
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, d.Team, d.Enrolled.Format(time.RFC3339), rev)
		}
		return tw.Flush()
	case "revoke":
		if err := svc.RevokeDevice(ctx, cli, id, *reason); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "device %s revoked: its next request is refused and told to wipe\n", id)
	default:
		return errors.New(use)
	}
	return nil
}

func cmdVerifyAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("verify-audit", stderr)
	auditO := auditFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	keys, witness, err := auditO.load()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	reg, err := loadRegistry(slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	svc := central.NewService(store, reg, central.Config{Logger: quietLogger(stderr), AuditKeys: keys, Witness: witness})
	if witness == nil {
		fmt.Fprintln(stdout, "note: no --audit-witness: deleted tail records and a moved head cannot be detected")
	}
	rep, err := svc.VerifyAudit(ctx, cli)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "PROBLEM:", p)
	}
	if !rep.OK {
		return fmt.Errorf("audit chain BROKEN: %d problem(s) in %d records", len(rep.Problems), rep.Records)
	}
	fmt.Fprintf(stdout, "audit chain intact: %d records, head %s\n", rep.Records, rep.Head)
	return nil
}

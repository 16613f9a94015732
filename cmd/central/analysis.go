package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safeguard-uk/safeguard/central"
	"github.com/safeguard-uk/safeguard/quality"
)

// queryFlags adds --from, --to, --team and --grade.
func queryFlags(fs *flag.FlagSet) *central.Query {
	q := &central.Query{}
	fs.StringVar(&q.From, "from", "", "first day, YYYY-MM-DD (Europe/London), by first submission")
	fs.StringVar(&q.To, "to", "", "last day, YYYY-MM-DD, inclusive")
	fs.StringVar(&q.Team, "team", "", "one team (default every team)")
	fs.StringVar(&q.Grade, "grade", "", "one grade: standard, medium, high or immediate")
	return q
}

// output opens --out, or stdout for "" or "-". The file is created 0600:
// exports hold children's data.
func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriter(f)
	return bw, func() error {
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("export", stderr)
	q := queryFlags(fs)
	format := fs.String("format", central.ExportCSV, "csv or json")
	personal := fs.Bool("personal", false, "include names, dates of birth, the children's words and addresses (audited per entry)")
	out := fs.String("out", "", "write to this file (created 0600) instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	w, closeOut, err := output(*out, stdout)
	if err != nil {
		return err
	}
	err = svc.Export(ctx, cli, *q, *format, *personal, func(bool) io.Writer { return w })
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil && *out != "" && *out != "-" {
		os.Remove(*out) // never leave a partial export behind
	}
	return err
}

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := adminFlags("report", stderr)
	q := queryFlags(fs)
	format := fs.String("format", "text", "text or json")
	charts := fs.String("charts", "", "also write the charts as PNG files into this directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return errors.New("--format must be text or json")
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.Quality(ctx, cli, *q)
	if err != nil {
		return err
	}
	if *charts != "" {
		if err := writeCharts(*charts, res.Report); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "Safeguard data-quality report, generated %s\nTeams: %s", res.Generated.Format(time.RFC3339), strings.Join(res.Filter.Teams, ", "))
	if q.From != "" || q.To != "" {
		fmt.Fprintf(stdout, "; submitted %s to %s", or(q.From, "the start"), or(q.To, "now"))
	}
	if q.Grade != "" {
		fmt.Fprintf(stdout, "; grade %s", q.Grade)
	}
	fmt.Fprint(stdout, "\n\n")
	return res.Report.WriteText(stdout)
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// writeCharts writes each chart as NN-id.png.
func writeCharts(dir string, rep *quality.Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, ch := range rep.Charts() {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%02d-%s.png", i+1, ch.ID)))
		if err != nil {
			return err
		}
		if err := quality.RenderPNG(f, ch); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func cmdDelivery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: central delivery list [--state pending|delivered|dead] [--limit N] | delivery replay (--all | ID...)"
	if len(args) == 0 {
		return errors.New(use)
	}
	sub := args[0]
	fs, db := adminFlags("delivery "+sub, stderr)
	state := fs.String("state", "", "only deliveries in this state")
	limit := fs.Int("limit", central.DefaultDeliveryListLimit, "at most this many")
	all := fs.Bool("all", false, "replay every dead delivery")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	svc, done, err := openService(ctx, *db, quietLogger(stderr))
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "list":
		list, err := svc.ListDeliveries(ctx, cli, *state, *limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tRECEIPT\tTEAM\tSTATE\tATTEMPTS\tUPDATED\tNEXT OR DELIVERED\tLAST ERROR")
		for _, d := range list.Deliveries {
			when := "-"
			switch {
			case d.Delivered != nil:
				when = d.Delivered.Format(time.RFC3339)
			case d.NextAttempt != nil:
				when = "next " + d.NextAttempt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", d.ID, d.Receipt, d.Team, d.State, d.Attempts, d.Updated.Format(time.RFC3339), when, d.LastError)
		}
		return tw.Flush()
	case "replay":
		if *all == (fs.NArg() > 0) {
			return errors.New("name the deliveries to replay, or give --all (not both)")
		}
		rp, err := svc.ReplayDeliveries(ctx, cli, fs.Args())
		if err != nil {
			return err
		}
		for _, id := range rp.Replayed {
			fmt.Fprintln(stdout, "replayed", id)
		}
		fmt.Fprintf(stdout, "%d dead deliveries put back in the outbox; a running server delivers them at its next poll\n", len(rp.Replayed))
		return nil
	}
	return errors.New(use)
}

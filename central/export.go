package central

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // report days and months are cut in Europe/London

	"github.com/safeguard-uk/safeguard/api"
	"github.com/safeguard-uk/safeguard/forms"
	"github.com/safeguard-uk/safeguard/quality"
)

// ReportTimeZone is where the from/to dates of exports and reports begin
// and end.
const ReportTimeZone = "Europe/London"

// exportPage is how many entries an export or report reads per
// transaction (short transactions: an export never holds up ingest).
const exportPage = 200

// pseudonymSetting names the stored key of export pseudonyms.
const pseudonymSetting = "export.pseudonym_key"

// Export formats.
const (
	ExportCSV  = "csv"
	ExportJSON = "json"
)

// Query selects entries for an export or a report. From and To are dates
// (YYYY-MM-DD in ReportTimeZone, both inclusive; "" for open), Team one
// team ("" for every team the caller may see), Grade one grade ("" for
// any).
type Query struct {
	From, To string
	Team     string
	Grade    string
}

// scope is a Query checked against the caller: the entry filter and what
// the caller may see.
type scope struct {
	filter EntryFilter
	wire   api.ExportFilter
}

// resolve checks q and the caller's reach: supervisors see their own
// teams, administrators (and the system) every team.
func (s *Service) resolve(ctx context.Context, p Principal, q Query) (scope, error) {
	var sc scope
	loc, err := time.LoadLocation(ReportTimeZone)
	if err != nil {
		return sc, fmt.Errorf("time zone %s: %w", ReportTimeZone, err)
	}
	day := func(name, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		d, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil {
			return d, Errorf(EINVALID, "%s must be a date, YYYY-MM-DD", name)
		}
		return d, nil
	}
	from, err := day("from", q.From)
	if err != nil {
		return sc, err
	}
	to, err := day("to", q.To)
	if err != nil {
		return sc, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // inclusive
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return sc, Errorf(EINVALID, "from must not be after to")
	}
	grade := forms.LevelNone
	if q.Grade != "" {
		if grade, err = forms.ParseLevel(q.Grade); err != nil || grade == forms.LevelNone {
			return sc, Errorf(EINVALID, "grade must be standard, medium, high or immediate")
		}
	}
	switch {
	case p.isAdmin() && q.Team != "":
		err := s.store.View(ctx, func(tx Tx) error {
			_, err := tx.Team(ctx, q.Team)
			return notFound(err, fmt.Sprintf("no team %q", q.Team))
		})
		if err != nil {
			return sc, err
		}
		sc.filter.Teams = []string{q.Team}
		sc.wire.Teams = []string{q.Team}
	case p.isAdmin():
		// Every team, including any made while the export runs.
		sc.wire.Teams = []string{}
		err := s.store.View(ctx, func(tx Tx) error {
			all, err := tx.ListTeams(ctx)
			for _, t := range all {
				sc.wire.Teams = append(sc.wire.Teams, t.ID)
			}
			return err
		})
		if err != nil {
			return sc, err
		}
	case p.Is(RoleSupervisor) && q.Team != "":
		if !p.User.InTeam(q.Team) {
			return sc, Errorf(EFORBIDDEN, "you may export and report on your own teams only")
		}
		sc.filter.Teams = []string{q.Team}
		sc.wire.Teams = []string{q.Team}
	case p.Is(RoleSupervisor):
		sc.filter.Teams = append([]string{}, p.User.Teams...)
		sc.wire.Teams = append([]string{}, p.User.Teams...)
	default:
		return sc, forbidden()
	}
	sc.filter.From, sc.filter.To, sc.filter.Grade = from, to, grade
	sc.wire.From, sc.wire.To, sc.wire.Grade = q.From, q.To, q.Grade
	return sc, nil
}

// item is one entry with what exports and reports read of it.
type item struct {
	entry     Entry
	revision  Revision
	decisions []Decision
	delivery  string // the latest delivery's state, "" when none
	doc       *forms.Entry
}

// scan reads the live entries of f page by page, each page in its own
// read transaction, and calls fn with each page.
func (s *Service) scan(ctx context.Context, f EntryFilter, fn func([]item) error) error {
	f.Training, f.Limit = false, exportPage
	for {
		var page []item
		err := s.store.View(ctx, func(tx Tx) error {
			ents, err := tx.ListEntries(ctx, f)
			if err != nil {
				return err
			}
			for _, e := range ents {
				it := item{entry: e}
				if it.revision, err = tx.Revision(ctx, e.ID, e.Revision); err != nil {
					return err
				}
				if it.decisions, err = tx.Decisions(ctx, e.ID); err != nil {
					return err
				}
				if e.Approved > 0 {
					ds, err := tx.ListDeliveries(ctx, DeliveryFilter{EntryID: e.ID})
					if err != nil {
						return err
					}
					best := 0
					for _, d := range ds {
						if d.Revision > best {
							best, it.delivery = d.Revision, d.State
						}
					}
				}
				if it.doc, err = forms.DecodeEntry(it.revision.Body); err != nil {
					return fmt.Errorf("stored revision %d of %s: %w", e.Revision, e.ID, err)
				}
				page = append(page, it)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < exportPage {
			return nil
		}
		last := page[len(page)-1].entry
		f.AfterReceived, f.AfterID = last.FirstReceived, last.ID
	}
}

// review sums up an entry's reviews: the first decision (approved or
// returned), the last approval, the returns and whether any review was (or
// is) later than its deadline.
type review struct {
	first, approved time.Time
	returns         []Decision
	overdue         bool
}

func reviewOf(e Entry, decs []Decision, now time.Time) review {
	var r review
	for _, d := range decs {
		if d.Kind != DecisionApproved && d.Kind != DecisionReturned {
			continue
		}
		if r.first.IsZero() {
			r.first = d.At
		}
		if d.Kind == DecisionApproved {
			r.approved = d.At
		} else {
			r.returns = append(r.returns, d)
		}
		if quality.IsOverdue(d.At, d.Deadline, now) {
			r.overdue = true
		}
	}
	if e.Status == api.EntryReceived && quality.IsOverdue(time.Time{}, e.Deadline, now) {
		r.overdue = true
	}
	return r
}

// returnReasons are the report categories of an entry's returns (question
// labels, never what the supervisor wrote), each once.
func returnReasons(c *forms.Checklist, returns []Decision) []string {
	out := []string{}
	for _, d := range returns {
		for _, r := range quality.ReasonsFromComments(c, d.Comments, d.Reason) {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// pseudonymKey returns the server's export pseudonym key, made on first
// use and kept in the database, so pseudonyms are stable across exports.
func (s *Service) pseudonymKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.pseudoKey != nil {
		return s.pseudoKey, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var stored string
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		stored, err = tx.InitSetting(ctx, pseudonymSetting, hex.EncodeToString(fresh))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	key, err := hex.DecodeString(stored)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("pseudonym key: the stored key is damaged")
	}
	s.pseudoKey = key
	return key, nil
}

// pseudonym is a short keyed hash of an id: stable for one server, not
// reversible without the key.
func pseudonym(key []byte, prefix, kind, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + "\x00" + id))
	return prefix + hex.EncodeToString(m.Sum(nil))[:16]
}

// answerText renders a stored answer as an export cell: the code or text,
// numbers plainly, lists joined by "|", "not_known" for "Not known".
func answerText(answers map[string]forms.Answer, id string) string {
	a, ok := answers[id]
	if !ok {
		return ""
	}
	if a.NotKnown {
		return "not_known"
	}
	switch v := a.Value.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case []string:
		return strings.Join(v, "|")
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			parts = append(parts, fmt.Sprint(x))
		}
		return strings.Join(parts, "|")
	}
	return fmt.Sprint(a.Value)
}

// ageYears is a child's age in whole years at the incident: from the date
// of birth (child_dob) when recorded, else the estimated age (child_age_est
// or child_age).
func ageYears(answers map[string]forms.Answer, at time.Time) *int {
	if dob, err := time.Parse("2006-01-02", answerText(answers, "child_dob")); err == nil && !at.Before(dob) {
		y := at.Year() - dob.Year()
		if at.Month() < dob.Month() || (at.Month() == dob.Month() && at.Day() < dob.Day()) {
			y--
		}
		return &y
	}
	for _, id := range []string{"child_age_est", "child_age"} {
		if n, err := strconv.ParseFloat(answerText(answers, id), 64); err == nil && n >= 0 && n < 150 {
			y := int(math.Floor(n))
			return &y
		}
	}
	return nil
}

// incidentTime is when the incident happened: its recorded time, else when
// the entry was started.
func incidentTime(e *forms.Entry) time.Time {
	if t, err := time.Parse(time.RFC3339, answerText(e.Answers, "incident_time")); err == nil {
		return t
	}
	return e.Started
}

// rows makes the export rows of one entry.
func (s *Service) rows(it item, key []byte, personal bool, now time.Time) []api.ExportRow {
	e, doc := it.entry, it.doc
	rv := reviewOf(e, it.decisions, now)
	c, _ := s.registry.Get(e.Checklist)
	base := api.ExportRow{Entry: pseudonym(key, "E", "entry", e.ID), Team: e.Team, Officer: pseudonym(key, "O", "officer", e.Officer),
		Checklist: e.Checklist.String(), Revision: e.Revision, Status: e.Status, Grade: e.Grade.String(), Computed: it.revision.Computed.String(),
		Immediate: it.revision.Immediate || e.Grade >= forms.LevelImmediate, Submitted: e.FirstReceived, Deadline: e.Deadline, Overdue: rv.overdue,
		Returns: len(rv.returns), ReturnReasons: returnReasons(c, rv.returns), Reason: answerText(doc.Answers, "reason"),
		Children: len(doc.Groups["child"]), Adults: len(doc.Groups["adult"]), Delivery: it.delivery}
	if !rv.first.IsZero() {
		first := rv.first
		mins := int64(first.Sub(e.FirstReceived) / time.Minute)
		base.Reviewed, base.ReviewMinutes = &first, &mins
	}
	if !rv.approved.IsZero() {
		ap := rv.approved
		base.Approved = &ap
	}
	if personal {
		base.Officer, base.EntryID, base.Receipt = e.Officer, e.ID, it.revision.Receipt
		base.IncidentRef, base.IncidentAddr = answerText(doc.Answers, "incident_ref"), answerText(doc.Answers, "incident_address")
	}
	children := doc.Groups["child"]
	if len(children) == 0 {
		return []api.ExportRow{base}
	}
	at := incidentTime(doc)
	out := make([]api.ExportRow, 0, len(children))
	for i, inst := range children {
		a := inst.Answers
		r := base
		r.Child, r.ChildNumber = pseudonym(key, "C", "child", e.ID+"\x00"+inst.ID), i+1
		r.AgeYears = ageYears(a, at)
		r.Sex, r.EthnicitySelf, r.EthnicityOfcr = answerText(a, "child_sex"), answerText(a, "child_ethnicity_self"), answerText(a, "child_ethnicity_officer")
		r.Disability, r.SEN, r.SENNeed = answerText(a, "child_disability"), answerText(a, "child_sen"), answerText(a, "child_sen_need")
		r.Seen, r.SpokenAlone = answerText(a, "child_seen"), answerText(a, "child_alone")
		r.VoiceRecorded = "no"
		if w := answerText(a, "child_words"); strings.TrimSpace(w) != "" && w != "not_known" {
			r.VoiceRecorded = "yes"
		}
		if personal {
			r.ChildName, r.ChildDOB = answerText(a, "child_name"), answerText(a, "child_dob")
			r.ChildAddress, r.ChildWords = answerText(a, "child_address"), answerText(a, "child_words")
		}
		out = append(out, r)
	}
	return out
}

// ExportColumns are the CSV columns of every export, in order; personal
// exports add PersonalColumns after them. README and api/openapi.yaml
// describe each.
var (
	ExportColumns = []string{"entry", "team", "officer", "checklist", "revision", "status", "grade", "computed", "immediate",
		"submitted", "reviewed", "review_minutes", "approved", "deadline", "overdue", "returns", "return_reasons", "reason",
		"children", "adults", "delivery", "child", "child_number", "age_years", "sex", "ethnicity_self", "ethnicity_officer",
		"disability", "sen", "sen_need", "seen", "spoken_alone", "voice_recorded"}
	PersonalColumns = []string{"entry_id", "receipt", "incident_ref", "incident_address", "child_name", "child_dob", "child_address", "child_words"}
)

func csvTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func csvTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return csvTime(*t)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// csvCell guards a cell against formula injection when the file is
// opened in a spreadsheet: text that starts like a formula gets a leading
// apostrophe.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvRecord(r api.ExportRow, personal bool) []string {
	num := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	mins := ""
	if r.ReviewMinutes != nil {
		mins = strconv.FormatInt(*r.ReviewMinutes, 10)
	}
	childNo := ""
	if r.ChildNumber > 0 {
		childNo = strconv.Itoa(r.ChildNumber)
	}
	rec := []string{r.Entry, r.Team, r.Officer, r.Checklist, strconv.Itoa(r.Revision), r.Status, r.Grade, r.Computed, yesNo(r.Immediate),
		csvTime(r.Submitted), csvTimePtr(r.Reviewed), mins, csvTimePtr(r.Approved), csvTime(r.Deadline), yesNo(r.Overdue),
		strconv.Itoa(r.Returns), strings.Join(r.ReturnReasons, "; "), r.Reason, strconv.Itoa(r.Children), strconv.Itoa(r.Adults), r.Delivery,
		r.Child, childNo, num(r.AgeYears), r.Sex, r.EthnicitySelf, r.EthnicityOfcr, r.Disability, r.SEN, r.SENNeed, r.Seen, r.SpokenAlone,
		r.VoiceRecorded}
	if personal {
		rec = append(rec, r.EntryID, r.Receipt, r.IncidentRef, r.IncidentAddr, r.ChildName, r.ChildDOB, r.ChildAddress, r.ChildWords)
	}
	for i := range rec {
		rec[i] = csvCell(rec[i])
	}
	return rec
}

// exportWriter writes an export's rows in one format.
type exportWriter interface {
	begin(h api.Export) error
	row(r api.ExportRow) error
	end() error
}

type csvWriter struct {
	w        *csv.Writer
	personal bool
}

func (c *csvWriter) begin(h api.Export) error {
	c.personal = h.Personal
	cols := slices.Clone(ExportColumns)
	if h.Personal {
		cols = append(cols, PersonalColumns...)
	}
	return c.w.Write(cols)
}

func (c *csvWriter) row(r api.ExportRow) error { return c.w.Write(csvRecord(r, c.personal)) }

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
}

type jsonWriter struct {
	w     *bufio.Writer
	first bool
}

func (j *jsonWriter) begin(h api.Export) error {
	h.Rows = nil
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	// {"generated":…,"personal":…,"filter":{…},"rows":null} → open the list.
	b = b[:len(b)-len(`null}`)]
	j.first = true
	_, err = j.w.Write(append(b, '[', '\n'))
	return err
}

func (j *jsonWriter) row(r api.ExportRow) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if !j.first {
		j.w.WriteString(",\n")
	}
	j.first = false
	_, err = j.w.Write(b)
	return err
}

func (j *jsonWriter) end() error {
	j.w.WriteString("\n]}\n")
	return j.w.Flush()
}

// Export writes the live entries the query selects, one row per child
// (ExportRow), as CSV or JSON. Supervisors export their own teams;
// administrators every team. Personal columns (names, dates of birth, the
// child's words, addresses, ids and receipts) are included only when
// personal is asked for, and only a supervisor of every team exported (or
// the server's own command line) may ask; everyone else gets pseudonymised
// rows. The export is audited before any row is written: one record for
// the export, and for a personal export one record per entry, before its
// page is sent. w is called once, before the first byte, with whether the
// export is personal. An error after that means the output is incomplete.
func (s *Service) Export(ctx context.Context, p Principal, q Query, format string, personal bool, w func(personal bool) io.Writer) error {
	if format != ExportCSV && format != ExportJSON {
		return Errorf(EINVALID, "format must be csv or json")
	}
	sc, err := s.resolve(ctx, p, q)
	if err != nil {
		return err
	}
	if personal && p.System == "" && !p.Is(RoleSupervisor) {
		return Errorf(EFORBIDDEN, "personal data is exported only for supervisors of the team; ask for a pseudonymised export")
	}
	key, err := s.pseudonymKey(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.store.Update(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, p, "export.entries", "", 0, map[string]any{"format": format, "personal": personal, "from": q.From,
			"to": q.To, "teams": sc.wire.Teams, "grade": q.Grade})
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	out := w(personal)
	var ew exportWriter
	if format == ExportCSV {
		ew = &csvWriter{w: csv.NewWriter(out)}
	} else {
		ew = &jsonWriter{w: bufio.NewWriter(out)}
	}
	if err := ew.begin(api.Export{Generated: now, Personal: personal, Filter: sc.wire}); err != nil {
		return err
	}
	err = s.scan(ctx, sc.filter, func(page []item) error {
		if personal {
			err := s.store.Update(ctx, func(tx Tx) error {
				for _, it := range page {
					if err := s.audit(ctx, tx, p, "entry.export", it.entry.ID, it.entry.Revision, map[string]any{"format": format}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, it := range page {
			for _, r := range s.rows(it, key, personal, now) {
				if err := ew.row(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return ew.end()
}

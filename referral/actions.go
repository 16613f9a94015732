package referral

import (
	"fmt"
	"strings"
	"time"
)

// Questions of the v1 actions, police protection and risk screens that
// show what was done.
const (
	qReferralMade     = "referral_made"
	qReferralTime     = "referral_time"
	qReferralRef      = "referral_ref"
	qReferralNotWhy   = "referral_not_why"
	qStrategy         = "strategy_requested"
	qABENeeded        = "abe_needed"
	qABERequested     = "abe_interviewer_requested"
	qMedical          = "medical_exam"
	qFlags            = "flags"
	qEncompass        = "da_encompass"
	qEncompassTime    = "da_encompass_time"
	qNRM              = "tr_nrm"
	qDeviceSteps      = "ol_device_steps"
	qAftercare        = "home_aftercare"
	qAftercareChecks  = "home_aftercare_checks"
	qPPDesignated     = "pp_designated_officer"
	qPPLAInformed     = "pp_la_informed"
	qPPParentsInform  = "pp_parents_informed"
	qPPChildTold      = "pp_child_told"
	statusNotRecorded = "Not recorded as done"
)

func (b *builder) actions() {
	a := &b.doc.Actions
	b.policeProtection()
	if _, ok := b.answer(nil, qReferralMade); ok {
		st := Step{ID: "referral", Title: b.t("Referral to children's social care or the MASH"), Time: b.when(nil, qReferralTime)}
		if b.is(nil, qReferralMade, "yes") {
			st.Done, st.Status = true, b.t("Made")
			if ref := b.words(nil, qReferralRef); ref != "" {
				st.Detail = b.t("Reference ") + ref
			}
		} else {
			st.Status, st.Detail = b.t("Not made"), b.words(nil, qReferralNotWhy)
		}
		a.Taken = append(a.Taken, st)
	}
	if _, ok := b.answer(nil, qStrategy); ok {
		st := Step{ID: "strategy_discussion", Title: b.t("Strategy discussion"), Status: b.t("Not requested")}
		if b.is(nil, qStrategy, "yes") {
			st.Done, st.Status = true, b.t("Requested")
		}
		a.Taken = append(a.Taken, st)
	}
	if _, ok := b.answer(nil, qABENeeded); ok {
		st := Step{ID: "abe_interview", Title: b.t("Video-recorded (ABE) interview"), Status: b.t("Not needed"), Done: true}
		if b.is(nil, qABENeeded, "yes") {
			st.Done = b.is(nil, qABERequested, "yes")
			st.Status = b.t("Needed; trained interviewer not yet requested")
			if st.Done {
				st.Status = b.t("Needed; trained interviewer requested")
			}
		}
		a.Taken = append(a.Taken, st)
	}
	if v := b.words(nil, qMedical); v != "" {
		a.Taken = append(a.Taken, Step{ID: "medical_exam", Title: b.t("Medical examination"), Status: v,
			Done: b.is(nil, qMedical, "requested", "done", "not_needed")})
	}
	if v := b.words(nil, qEncompass); v != "" {
		a.Taken = append(a.Taken, Step{ID: "encompass", Title: b.t("Operation Encompass (school told)"), Status: v,
			Done: b.is(nil, qEncompass, "done", "not_applicable"), Time: b.when(nil, qEncompassTime)})
	}
	if v := b.words(nil, qNRM); v != "" {
		a.Taken = append(a.Taken, Step{ID: "nrm", Title: b.t("National Referral Mechanism"), Status: v, Done: b.is(nil, qNRM, "made")})
	}
	if v := b.words(nil, qFlags); v != "" {
		a.Taken = append(a.Taken, Step{ID: "flags", Title: b.t("Flags set"), Status: v, Done: true})
	}
	for _, act := range b.res.Actions {
		adv := Advice{ID: act.ID, Text: act.Text}
		if ev := evidence[act.ID]; ev != nil {
			adv.Done, adv.Evidence = ev(b)
		}
		a.Advised = append(a.Advised, adv)
	}
}

func (b *builder) policeProtection() {
	a := &b.doc.Actions
	if _, ok := b.answer(nil, qPPUsed); !ok {
		return
	}
	st := Step{ID: "police_protection", Title: b.t("Police protection (Children Act 1989 s46)"), Status: b.t("Not used"), Done: true}
	if b.is(nil, qPPUsed, "yes") {
		st.Status = b.t("Used")
		if a.PoliceProtection == nil {
			a.PoliceProtection = &PoliceProtection{Fields: []Field{}}
		}
		pp := a.PoliceProtection
		if start := b.when(nil, qPPStart); start != nil {
			end := start.Add(PoliceProtectionLimit)
			pp.Started, pp.MustEndBy = start, &end
			st.Time = start
			st.Detail = fmt.Sprintf(b.t("Started %s; must end by %s (72 hours at most, never extended)."),
				b.doc.FormatTime(*start), b.doc.FormatTime(end))
		} else {
			st.Detail = b.t("Start time not recorded: police protection lasts 72 hours at most, never extended.")
		}
		var missing []string
		for _, c := range []struct{ id, what string }{
			{qPPDesignated, b.t("designated officer")}, {qPPLAInformed, b.t("local authority")},
			{qPPParentsInform, b.t("parents")}, {qPPChildTold, b.t("child")},
		} {
			if !b.is(nil, c.id, "yes") {
				missing = append(missing, c.what)
			}
		}
		if len(missing) > 0 {
			st.Detail += b.t(" Not recorded as told: ") + strings.Join(missing, ", ") + "."
		}
	} else {
		a.PoliceProtection = nil
	}
	a.Taken = append(a.Taken, st)
}

// evidence says, for the v1 checklist's advised actions, which answers
// show the action done. Actions with no entry here are shown as "not
// recorded as done": the checklist asks nothing that would show them.
var evidence = map[string]func(b *builder) (bool, string){
	"refer_mash": func(b *builder) (bool, string) {
		if !b.is(nil, qReferralMade, "yes") {
			return false, ""
		}
		s := b.t("Referral made")
		if t := b.when(nil, qReferralTime); t != nil {
			s += b.t(" at ") + b.doc.FormatTime(*t)
		}
		if ref := b.words(nil, qReferralRef); ref != "" {
			s += b.t(", reference ") + ref
		}
		return true, s
	},
	"request_strategy_discussion": yesEvidence(qStrategy, "Strategy discussion requested"),
	"request_abe_interview":       yesEvidence(qABERequested, "Trained ABE interviewer requested"),
	"request_medical_exam": func(b *builder) (bool, string) {
		if b.is(nil, qMedical, "requested", "done") {
			return true, b.t("Medical examination: ") + b.words(nil, qMedical)
		}
		return false, ""
	},
	"refer_marac":             flagEvidence("marac", "MARAC flag set"),
	"refer_prevent":           flagEvidence("prevent", "Prevent flag set"),
	"notify_school_encompass": valueEvidence(qEncompass, "done", "School or nursery told (Operation Encompass)"),
	"refer_nrm":               valueEvidence(qNRM, "made", "NRM referral made"),
	"consider_police_protection": func(b *builder) (bool, string) {
		switch {
		case b.is(nil, qPPUsed, "yes"):
			return true, b.t("Police protection used")
		case b.is(nil, qPPUsed, "no"):
			return true, b.t("Considered; police protection not used")
		}
		return false, ""
	},
	"arrange_safe_carer": func(b *builder) (bool, string) {
		if b.str(nil, qAftercare) != "" && b.str(nil, qAftercareChecks) != "" {
			return true, b.t("Carer after police leave recorded, with checks")
		}
		return false, ""
	},
	"record_first_account": func(b *builder) (bool, string) {
		n := 0
		for _, ch := range b.doc.Children {
			if ch.Words != nil {
				n++
			}
		}
		if n == 0 {
			return false, ""
		}
		return true, fmt.Sprintf(b.t("Child's own words recorded for %d of %d children"), n, len(b.doc.Children))
	},
	"return_to_see_child": func(b *builder) (bool, string) {
		list := b.e.Groups[groupChild]
		if len(list) == 0 {
			return false, ""
		}
		for i := range list {
			if !b.is(&list[i], qChildSeen, "yes") {
				return false, ""
			}
		}
		return true, b.t("Every child seen by the officer")
	},
	"preserve_devices": func(b *builder) (bool, string) {
		if b.is(nil, qDeviceSteps, "kept_on") && b.is(nil, qDeviceSteps, "isolated") && b.is(nil, qDeviceSteps, "screen_photographed") {
			return true, b.t("Device kept on, isolated and its screen photographed")
		}
		return false, ""
	},
}

func yesEvidence(id, text string) func(*builder) (bool, string) {
	return valueEvidence(id, "yes", text)
}

func valueEvidence(id, value, text string) func(*builder) (bool, string) {
	return func(b *builder) (bool, string) {
		if b.is(nil, id, value) {
			return true, b.t(text)
		}
		return false, ""
	}
}

func flagEvidence(flag, text string) func(*builder) (bool, string) {
	return valueEvidence(qFlags, flag, text)
}

// FormatTime shows a time in the document's time zone, as printed:
// "Fri 14 Nov 2025 02:31 GMT", or in Welsh "Dydd Gwener 14 Tachwedd 2025
// 02:31 GMT".
func (d *Document) FormatTime(t time.Time) string {
	loc := d.loc
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(d.TimeZone); err != nil || d.TimeZone == "" {
			loc = time.UTC
		}
	}
	return formatDateTime(t.In(loc), d.Language)
}

package referral

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safeguard-uk/safeguard/forms"
)

// Languages a referral can be produced in (Meta.Language): the document's
// own words come from the table below, the checklist's texts from the
// checklist (forms.Text) when it declares the language.
const (
	English = "en"
	Welsh   = "cy"
)

// Languages lists the languages Build accepts, English first.
var Languages = []string{English, Welsh}

// ValidLanguage reports whether Build can produce a referral in lang.
func ValidLanguage(lang string) bool { return slices.Contains(Languages, lang) }

// welsh holds the Welsh of every fixed word the document prints (headings,
// labels, field names, statuses), keyed by the English. The translations
// are drafts for review by a Welsh-speaking officer (docs/referral-format.md
// lists the legal and policing terms used). A phrase missing here prints in
// English: TestWelshTableCoversEveryPhrase fails on it.
var welsh = map[string]string{
	// Headings.
	HeadingSummary:       "Crynodeb",
	HeadingIncident:      "Digwyddiad",
	HeadingSafety:        "Diogelwch ar unwaith",
	HeadingChildren:      "Plant",
	HeadingAdults:        "Oedolion",
	HeadingRelationships: "Perthnasoedd",
	HeadingHome:          "Amodau'r cartref a gofal",
	HeadingOther:         "Gwybodaeth arall",
	HeadingRisks:         "Risgiau",
	HeadingActions:       "Camau gweithredu",
	HeadingDecisions:     "Penderfyniadau",
	HeadingWords:         "Geiriau'r plentyn ei hun",
	// Page furniture and the title block.
	"Police referral to children's social care": "Atgyfeiriad yr heddlu at ofal cymdeithasol plant",
	" — TRAINING, NOT A REAL REFERRAL":          " — HYFFORDDIANT, NID ATGYFEIRIAD GO IAWN",
	"Receipt ":                                  "Derbynneb ",
	"Entry %s, revision %d":                     "Cofnod %s, diwygiad %d",
	"Page %d of {nb}":                           "Tudalen %d o {nb}",
	"End of referral":                           "Diwedd yr atgyfeiriad",
	"Referral: child at risk":                   "Atgyfeiriad: plentyn mewn perygl",
	"From ":                                     "Oddi wrth ",
	"the police":                                "yr heddlu",
	" to ":                                      " at ",
	"TRAINING ENTRY — NOT A REAL REFERRAL. DO NOT ACT ON IT.": "COFNOD HYFFORDDIANT — NID ATGYFEIRIAD GO IAWN. PEIDIWCH Â GWEITHREDU ARNO.",
	"Receipt":              "Derbynneb",
	"Incident reference":   "Cyfeirnod y digwyddiad",
	"Time of the incident": "Amser y digwyddiad",
	"Address":              "Cyfeiriad",
	"Why police attended":  "Pam y daeth yr heddlu",
	"Officer":              "Swyddog",
	"Approved by":          "Cymeradwywyd gan",
	"Approved at":          "Cymeradwywyd am",
	"Language":             "Iaith",
	"GRADE: ":              "GRADD: ",
	" — IMMEDIATE RISK":    " — RISG AR UNWAITH",
	"Officer graded %s (the checklist's rules: %s).": "Gradd y swyddog: %s (rheolau'r rhestr wirio: %s).",
	" Supervisor raised it to %s.":                   " Cododd y goruchwyliwr y radd i %s.",
	" Supervisor lowered it to %s.":                  " Gostyngodd y goruchwyliwr y radd i %s.",
	" Supervisor agreed.":                            " Cytunodd y goruchwyliwr.",
	" Approved ":                                     " Cymeradwywyd ",
	"not graded":                                     "heb ei graddio",
	"standard":                                       "safonol",
	"medium":                                         "canolig",
	"high":                                           "uchel",
	"immediate":                                      "ar unwaith",
	// Children, adults, relationships.
	"No child is recorded.":        "Ni chofnodwyd unrhyw blentyn.",
	"No adult is recorded.":        "Ni chofnodwyd unrhyw oedolyn.",
	"Details":                      "Manylion",
	"Seen and heard":               "Gweld a chlywed",
	", aged %d":                    ", %d oed",
	"Said at ":                     "Dywedwyd am ",
	"Present: ":                    "Yn bresennol: ",
	"Asked or said first: ":        "Gofynnwyd neu dywedwyd gyntaf: ",
	"Nothing recorded.":            "Dim wedi'i gofnodi.",
	"No relationship is recorded.": "Ni chofnodwyd unrhyw berthynas.",
	"The officer did not see the child, so no words of the child were recorded.":                                       "Ni welodd y swyddog y plentyn, felly ni chofnodwyd geiriau'r plentyn.",
	"The child is too young or unable to talk about what happened: what the officer observed is under Seen and heard.": "Mae'r plentyn yn rhy ifanc neu'n methu siarad am yr hyn a ddigwyddodd: mae'r hyn a welodd y swyddog dan Gweld a chlywed.",
	"No words of the child were recorded.":                                                                             "Ni chofnodwyd geiriau'r plentyn.",
	"Name not known (%s %d)":                                                                                           "Enw'n anhysbys (%s %d)",
	"Unknown person":                                                                                                   "Person anhysbys",
	"%s is linked to %s: %s":                                                                                           "Mae %s yn gysylltiedig â %s: %s",
	// Risks.
	"Grade":                                  "Gradd",
	"Reason":                                 "Rheswm",
	"About":                                  "Ynghylch",
	"Reasons for the grade":                  "Rhesymau dros y radd",
	"No rule of the checklist found a risk.": "Ni chanfu unrhyw un o reolau'r rhestr wirio risg.",
	"Concern: ":                              "Pryder: ",
	"No concern recorded for":                "Ni chofnodwyd pryder ynghylch",
	"Disclosures read in the free text":      "Datgeliadau a ddarllenwyd yn y testun rhydd",
	// Actions.
	"Actions taken":                    "Camau a gymerwyd",
	"No action is recorded.":           "Ni chofnodwyd unrhyw gam.",
	"Action":                           "Cam",
	"Status":                           "Statws",
	"Time and detail":                  "Amser a manylion",
	"Police protection":                "Amddiffyniad yr heddlu",
	"Police protection must end by ":   "Rhaid i amddiffyniad yr heddlu ddod i ben erbyn ",
	": 72 hours at most from ":         ": 72 awr ar y mwyaf o ",
	", never extended.":                ", ac ni chaiff byth ei ymestyn.",
	"What the checklist advised":       "Yr hyn a gynghorodd y rhestr wirio",
	"The checklist advised no action.": "Ni chynghorodd y rhestr wirio unrhyw gam.",
	statusNotRecorded:                  "Heb ei gofnodi fel wedi'i wneud",
	"Referral to children's social care or the MASH": "Atgyfeiriad at ofal cymdeithasol plant neu'r MASH",
	"Made":                           "Wedi'i wneud",
	"Not made":                       "Heb ei wneud",
	"Reference ":                     "Cyfeirnod ",
	"Strategy discussion":            "Trafodaeth strategaeth",
	"Not requested":                  "Heb ofyn amdani",
	"Requested":                      "Gofynnwyd amdani",
	"Video-recorded (ABE) interview": "Cyfweliad wedi'i recordio ar fideo (ABE)",
	"Not needed":                     "Nid oes angen",
	"Needed; trained interviewer not yet requested": "Angen; heb ofyn am gyfwelydd hyfforddedig eto",
	"Needed; trained interviewer requested":         "Angen; gofynnwyd am gyfwelydd hyfforddedig",
	"Medical examination":                           "Archwiliad meddygol",
	"Operation Encompass (school told)":             "Ymgyrch Encompass (dywedwyd wrth yr ysgol)",
	"National Referral Mechanism":                   "Y Mecanwaith Atgyfeirio Cenedlaethol",
	"Flags set":                                     "Baneri a osodwyd",
	"Police protection (Children Act 1989 s46)":     "Amddiffyniad yr heddlu (Deddf Plant 1989 a46)",
	"Not used": "Heb ei ddefnyddio",
	"Used":     "Wedi'i ddefnyddio",
	"Started %s; must end by %s (72 hours at most, never extended).":                     "Dechreuodd %s; rhaid iddo ddod i ben erbyn %s (72 awr ar y mwyaf, ac ni chaiff byth ei ymestyn).",
	"Start time not recorded: police protection lasts 72 hours at most, never extended.": "Ni chofnodwyd yr amser dechrau: mae amddiffyniad yr heddlu yn para 72 awr ar y mwyaf, ac ni chaiff byth ei ymestyn.",
	" Not recorded as told: ":                " Heb gofnodi y dywedwyd wrth: ",
	"designated officer":                     "y swyddog dynodedig",
	"local authority":                        "yr awdurdod lleol",
	"parents":                                "y rhieni",
	"child":                                  "y plentyn",
	"Referral made":                          "Atgyfeiriad wedi'i wneud",
	" at ":                                   " am ",
	", reference ":                           ", cyfeirnod ",
	"Medical examination: ":                  "Archwiliad meddygol: ",
	"Police protection used":                 "Defnyddiwyd amddiffyniad yr heddlu",
	"Considered; police protection not used": "Ystyriwyd; ni ddefnyddiwyd amddiffyniad yr heddlu",
	"Carer after police leave recorded, with checks":       "Cofnodwyd y gofalwr ar ôl i'r heddlu adael, gyda gwiriadau",
	"Child's own words recorded for %d of %d children":     "Cofnodwyd geiriau'r plentyn ei hun ar gyfer %d o %d o blant",
	"Every child seen by the officer":                      "Gwelodd y swyddog bob plentyn",
	"Device kept on, isolated and its screen photographed": "Cadwyd y ddyfais ymlaen, ar wahân, a thynnwyd llun o'i sgrin",
	"Strategy discussion requested":                        "Gofynnwyd am drafodaeth strategaeth",
	"Trained ABE interviewer requested":                    "Gofynnwyd am gyfwelydd ABE hyfforddedig",
	"MARAC flag set":                                       "Gosodwyd baner MARAC",
	"Prevent flag set":                                     "Gosodwyd baner Prevent",
	"School or nursery told (Operation Encompass)":         "Dywedwyd wrth yr ysgol neu'r feithrinfa (Ymgyrch Encompass)",
	"NRM referral made":                                    "Atgyfeiriad NRM wedi'i wneud",
	// Decisions.
	"Stage":                        "Cyfnod",
	"Who":                          "Pwy",
	"When":                         "Pryd",
	"Notes":                        "Nodiadau",
	"Rules graded %s.":             "Gradd y rheolau: %s.",
	" Officer lowered the grade: ": " Gostyngodd y swyddog y radd: ",
	"Submitted by the officer":     "Cyflwynwyd gan y swyddog",
	"Approved by the supervisor":   "Cymeradwywyd gan y goruchwyliwr",
	"Grade agreed.":                "Cytunwyd ar y radd.",
	"Grade raised.":                "Codwyd y radd.",
	"Grade lowered.":               "Gostyngwyd y radd.",
	"Supervisor's comments":        "Sylwadau'r goruchwyliwr",
	"Revision %d returned":         "Dychwelwyd diwygiad %d",
	"Revision %d approved":         "Cymeradwywyd diwygiad %d",
	"Grade changed":                "Newidiwyd y radd",
	// Answers.
	"Yes":                            "Ie",
	"No":                             "Na",
	"Not known — ":                   "Anhysbys — ",
	"no reason given":                "ni roddwyd rheswm",
	" (aged %d at the incident)":     " (%d oed adeg y digwyddiad)",
	"%s (%d on a scale of %d to %d)": "%s (%d ar raddfa o %d i %d)",
	"1 photo held with the entry on the central system (not included here)":     "1 llun wedi'i gadw gyda'r cofnod ar y system ganolog (heb ei gynnwys yma)",
	"%d photo(s) held with the entry on the central system (not included here)": "%d llun wedi'u cadw gyda'r cofnod ar y system ganolog (heb eu cynnwys yma)",
	// Languages of free text and the fallback note.
	"Written in Welsh":   "Ysgrifennwyd yn Gymraeg",
	"Written in English": "Ysgrifennwyd yn Saesneg",
	"Written in %s":      "Ysgrifennwyd yn yr iaith %s",
	"English":            "Saesneg",
	"Welsh":              "Cymraeg",
	"This version of the checklist has no Welsh texts: its questions, options and reasons are printed in English.": "Nid oes gan y fersiwn hon o'r rhestr wirio destunau Cymraeg: mae ei chwestiynau, ei dewisiadau a'i rhesymau wedi'u hargraffu yn Saesneg.",
}

// welshRelations words the v1 relationship codes in Welsh, as a sentence
// pattern with the two names ("Mae X yn rhiant i Y"): Welsh puts the verb
// first and some links read better with "gan" ("has").
var welshRelations = map[string]string{
	"parent":            "Mae %s yn rhiant i %s",
	"pr_holder":         "Mae gan %s gyfrifoldeb rhiant dros %s",
	"step_parent":       "Mae %s yn llys-riant i %s",
	"partner_of_parent": "Mae %s yn bartner i riant %s",
	"sibling":           "Mae %s yn frawd neu chwaer sy'n oedolyn i %s",
	"household_member":  "Mae %s yn aelod o'r un aelwyd â %s",
	"associate":         "Mae %s yn gysylltiedig â %s",
	"suspect":           "Mae %s dan amheuaeth o niweidio %s",
}

// tr returns the document's fixed phrase en in lang (English when lang is
// English or the table lacks the phrase).
func tr(lang, en string) string {
	if lang == Welsh {
		if s, ok := welsh[en]; ok {
			return s
		}
	}
	return en
}

var (
	welshMonths = [...]string{"", "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
		"Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}
	welshDays = [...]string{"Dydd Sul", "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn"}
)

// formatDateTime prints a time as the document does: "Fri 14 Nov 2025
// 02:31 GMT" in English, "Dydd Gwener 14 Tachwedd 2025 02:31 GMT" in
// Welsh (full day and month names: Welsh abbreviations are not in common
// use on official documents).
func formatDateTime(t time.Time, lang string) string {
	if lang != Welsh {
		return t.Format(dateTimeLayout)
	}
	return fmt.Sprintf("%s %d %s %d %s", welshDays[t.Weekday()], t.Day(), welshMonths[t.Month()], t.Year(), t.Format("15:04 MST"))
}

// formatDate prints a date: "2 Jan 2006", or "2 Ionawr 2006" in Welsh.
func formatDate(t time.Time, lang string) string {
	if lang != Welsh {
		return t.Format(dateLayout)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), welshMonths[t.Month()], t.Year())
}

// writtenIn words the language a free text was written in, in the
// document's language ("Written in Welsh", "Ysgrifennwyd yn Saesneg").
func writtenIn(doc, tag string) string {
	switch primary, _, _ := strings.Cut(tag, "-"); primary {
	case Welsh:
		return tr(doc, "Written in Welsh")
	case English:
		return tr(doc, "Written in English")
	}
	return fmt.Sprintf(tr(doc, "Written in %s"), tag)
}

// checklistSpeaks reports whether the checklist declares lang (English is
// always there: the loader requires it).
func checklistSpeaks(c *forms.Checklist, lang string) bool {
	return lang == forms.DefaultLanguage || slices.Contains(c.Languages, lang)
}

// languageWord is the English name of a language the document can be in,
// a key of the table.
func languageWord(tag string) string {
	switch tag {
	case Welsh:
		return "Welsh"
	case English:
		return "English"
	}
	return tag
}

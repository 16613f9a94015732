package people

import "testing"

func TestPhoneticVariantsShareKeys(t *testing.T) {
	for _, group := range [][]string{
		{"mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mehmet"},
		{"aleksandr", "alexander", "oleksandr", "aleksander", "alexandre"},
		{"yusuf", "yousef", "youssef", "yousuf", "joseph"},
		{"katherine", "catherine", "kathryn"},
		{"stephen", "steven", "stefan"},
		{"hussain", "hussein", "husain"},
		{"aisha", "ayesha", "aysha", "aishah"},
		{"fatima", "fatimah", "fatema"},
		{"dmitri", "dmitry", "dimitri"},
		{"sergei", "sergey"},
		{"mikhail", "michael", "michal"},
		{"zofia", "sofia", "sophia"},
		{"natalia", "natalya", "nataliya"},
		{"yuliya", "julia", "yulia"},
		{"khadija", "khadijah", "kadija"},
		{"osman", "usman"},
		{"kowalski", "kovalski"},
		{"sean", "shaun", "shawn"},
		{"jayden", "jaden", "jaiden"},
		{"smith", "smyth"},
		{"rahman", "rehman"},
		{"knight", "night"},
	} {
		want := Phonetic(group[0])
		for _, n := range group[1:] {
			if got := Phonetic(n); got != want {
				t.Errorf("Phonetic(%q) = %q, Phonetic(%q) = %q: want equal", n, got, group[0], want)
			}
		}
	}
}

func TestPhoneticTellsNamesApart(t *testing.T) {
	for _, pair := range [][2]string{
		{"mohammed", "michael"}, {"aisha", "asif"}, {"chidi", "chima"}, {"jack", "john"},
		{"emma", "emily"}, {"smith", "jones"}, {"ali", "alan"}, {"hannah", "anna"},
	} {
		if Phonetic(pair[0]) == Phonetic(pair[1]) {
			t.Errorf("Phonetic(%q) == Phonetic(%q) = %q", pair[0], pair[1], Phonetic(pair[0]))
		}
	}
	if Phonetic("") != "" || Phonetic("123") != "" {
		t.Error("empty input should give an empty key")
	}
}

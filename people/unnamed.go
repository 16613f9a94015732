package people

import (
	"slices"
	"strings"
)

// placeholderGiven are words written in place of a given name not yet
// known or not yet given ("Baby Smith", "Unborn Smith", "Infant of
// Jones", "Baby Girl Smith").
var placeholderGiven = []string{"baby", "unborn", "unnamed", "newborn", "infant", "bb", "bg", "bboy", "bgirl"}

// placeholderSex are words that follow a placeholder ("baby girl").
var placeholderSex = []string{"girl", "boy", "female", "male", "child"}

// CleanName reads a name written for a child not yet named as what it
// says: "Baby Smith" is a blank given name and the family name Smith;
// "Unborn child of Jane Smith" (in either part) is a blank given name and
// the mother's family name. Other names are returned unchanged.
func CleanName(n Name) Name {
	full := NameTokens(n.Given + " " + n.Family)
	if len(full) == 0 {
		return n
	}
	// "... child of Jane Smith", "baby of Smith", "unborn of Smith".
	for i := 0; i+1 < len(full); i++ {
		if full[i] == "of" && i >= 1 && (slices.Contains(placeholderGiven, full[i-1]) || slices.Contains(placeholderSex, full[i-1])) {
			rest := full[i+1:]
			if len(rest) == 0 {
				return Name{}
			}
			return Name{Family: rest[len(rest)-1]}
		}
	}
	g := NameTokens(n.Given)
	if len(g) == 0 || !slices.Contains(placeholderGiven, g[0]) {
		return n
	}
	g = g[1:]
	for len(g) > 0 && slices.Contains(placeholderSex, g[0]) {
		g = g[1:]
	}
	return Name{Given: strings.Join(g, " "), Family: n.Family}
}

// streetSuffix are the (normalised) words that end a street's name.
var streetSuffix = map[string]bool{
	"st": true, "rd": true, "ave": true, "ln": true, "dr": true, "ct": true, "cres": true, "pl": true,
	"gdns": true, "ter": true, "gr": true, "sq": true, "wlk": true, "way": true, "close": true,
	"row": true, "hill": true, "mews": true, "view": true, "rise": true, "parade": true, "pk": true,
	"grn": true, "est": true, "estate": true, "lane": true, "street": true, "road": true,
}

// AddressParts splits a normalised address line ("flat 2 14 high st
// newtown") into its street ("high st") and town ("newtown"), so two
// addresses can be compared without their postcodes. The street is the
// words after the numbers up to a street word (st, rd ...), at most four;
// the town is what follows it (the last word). Either may be "".
func AddressParts(line string) (street, town string) {
	w := strings.Fields(line)
	i := 0
	for i < len(w) && (isDigit(w[i][0]) || w[i] == "flat" || len(w[i]) == 1) {
		i++
	}
	j := i
	for j < len(w) && j-i < 4 && !isDigit(w[j][0]) {
		j++
		if streetSuffix[w[j-1]] {
			break
		}
	}
	if j == i {
		return "", ""
	}
	if !streetSuffix[w[j-1]] {
		// No street word: the first word names the street ("14 Acacia
		// Newtown" is too vague to tell a town from).
		return w[i], ""
	}
	street = strings.Join(w[i:j], " ")
	for k := len(w) - 1; k >= j; k-- {
		if !isDigit(w[k][0]) {
			return street, w[k]
		}
	}
	return street, ""
}

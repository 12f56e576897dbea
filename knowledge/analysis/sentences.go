package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period but rarely end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sen": true, "rep": true, "gov": true,
	"gen": true, "lt": true, "col": true, "sgt": true, "capt": true, "cmdr": true, "adm": true, "st": true,
	"jr": true, "sr": true, "inc": true, "co": true, "corp": true, "ltd": true, "vs": true, "etc": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "no": true, "mt": true, "ft": true, "pres": true,
	"u.s": true, "u.k": true, "u.n": true, "e.g": true, "i.e": true, "d.c": true, "a.m": false, "p.m": false,
}

// Sentences splits a paragraph into sentences, keeping abbreviations
// ("Sen.", "U.S."), initials ("John F. Kennedy"), decimals and quoted
// sentence ends (“... said.” He) in the right place.
func Sentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		// Take closing quotes and brackets with the sentence.
		end := i
		for end < len(p) {
			c, cs := utf8.DecodeRuneInString(p[end:])
			if c == '"' || c == '\'' || c == '”' || c == '’' || c == ')' || c == ']' {
				end += cs
				continue
			}
			break
		}
		if end >= len(p) {
			break
		}
		next, _ := utf8.DecodeRuneInString(p[end:])
		if !unicode.IsSpace(next) {
			continue
		}
		// What starts the next sentence?
		rest := strings.TrimLeft(p[end:], " \t\n")
		first, _ := utf8.DecodeRuneInString(rest)
		if !(unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune("\"“‘'([", first)) {
			continue
		}
		if r == '.' && isAbbreviation(p[start:i-1]) {
			continue
		}
		if s := strings.TrimSpace(p[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
		i = end
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// isAbbreviation reports whether the text before a period ends in an
// abbreviation or an initial.
func isAbbreviation(before string) bool {
	j := strings.LastIndexFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '"' || r == '“' })
	word := before[j+1:]
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r) // an initial: "F." in "John F. Kennedy"
	}
	return abbreviations[strings.ToLower(word)]
}

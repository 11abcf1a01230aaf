package render

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// text returns a property's text in the reader's language: a string, a
// value object ({"@value", "@language"}), an array of value objects (VCDM
// 2.0 §11.1), or a language map ({"en": …, "fr": …}), cut to max runes.
func (b *builder) text(v any, max int) string {
	t, _ := pickText(v, b.want)
	return clip(t, max)
}

// textLang returns the language of the text pickText picks, when the
// credential says.
func textLang(v any, want language.Tag) string {
	_, l := pickText(v, want)
	return l
}

// pickText returns the text of v closest to want, and its language.
func pickText(v any, want language.Tag) (string, string) {
	var vals []langText
	switch v := v.(type) {
	case string:
		return v, ""
	case obj:
		if s, ok := v["@value"].(string); ok {
			l, _ := v["@language"].(string)
			return s, l
		}
		for k, s := range v {
			if s, ok := s.(string); ok {
				vals = append(vals, langText{lang: k, text: s})
			}
		}
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				vals = append(vals, langText{text: e})
			case obj:
				if s, ok := e["@value"].(string); ok {
					l, _ := e["@language"].(string)
					vals = append(vals, langText{lang: l, text: s})
				}
			}
		}
	}
	if len(vals) == 0 {
		return "", ""
	}
	v0 := best(vals, want)
	return v0.text, v0.lang
}

// langText is a text in a language ("" when unknown).
type langText struct{ lang, text string }

// best returns the value whose language is closest to want; the first
// value without a language, else the first, when none matches.
func best(vals []langText, want language.Tag) langText {
	// Map iteration order is random: sort by language for a stable pick.
	sortLangText(vals)
	var tags []language.Tag
	var idx []int
	for i, v := range vals {
		if t, err := language.Parse(v.lang); err == nil && v.lang != "" {
			tags = append(tags, t)
			idx = append(idx, i)
		}
	}
	if len(tags) > 0 {
		_, i, conf := language.NewMatcher(tags).Match(want)
		if conf != language.No {
			return vals[idx[i]]
		}
	}
	for _, v := range vals {
		if v.lang == "" {
			return v
		}
	}
	return vals[0]
}

// sortLangText sorts by language tag (insertion sort: the lists are tiny).
func sortLangText(v []langText) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].lang < v[j-1].lang; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// sameLanguage reports whether two tags have the same base language.
func sameLanguage(a, b string) bool {
	ta, err1 := language.Parse(a)
	tb, err2 := language.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	ba, _ := ta.Base()
	bb, _ := tb.Base()
	return ba == bb
}

// contextLanguage returns the @language an @context array sets, if any.
func contextLanguage(v any) string {
	for _, c := range anyList(v) {
		if m, ok := c.(obj); ok {
			if l, ok := m["@language"].(string); ok {
				return l
			}
		}
	}
	return ""
}

// webURL returns s when it is an http or https URL, else "".
func webURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2048 {
		return ""
	}
	return s
}

// clip cuts s to max runes, ending it with an ellipsis; replaces invalid
// UTF-8 and drops control characters (which XML forbids) but tab and
// newline; and closes the bidirectional embeddings, overrides and
// isolates s opens, so that text from a credential cannot reorder the
// text around it.
func clip(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return -1
			}
			return r
		}, s)
	}
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max-1 {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return balanceBidi(s)
}

// isControl reports the characters XML 1.0 forbids or that mean nothing
// in a name: C0 and C1 controls but tab and newline, and U+FFFE, U+FFFF.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff
}

// balanceBidi appends the PDF (U+202C) and PDI (U+2069) characters that
// close what s leaves open of LRE, RLE, LRO, RLO (U+202A, B, D, E) and
// LRI, RLI, FSI (U+2066, 7, 8).
func balanceBidi(s string) string {
	if !strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		return s
	}
	var stack []rune
	for _, r := range s {
		switch r {
		case 0x202a, 0x202b, 0x202d, 0x202e:
			stack = append(stack, 0x202c)
		case 0x2066, 0x2067, 0x2068:
			stack = append(stack, 0x2069)
		case 0x202c:
			if n := len(stack); n > 0 && stack[n-1] == 0x202c {
				stack = stack[:n-1]
			}
		case 0x2069:
			// A PDI closes its isolate and every embedding opened in it.
			for n := len(stack); n > 0; n-- {
				top := stack[n-1]
				stack = stack[:n-1]
				if top == 0x2069 {
					break
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString(s)
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteRune(stack[i])
	}
	return b.String()
}

// firstTime returns the first of vs that is a date-time.
func firstTime(vs ...any) time.Time {
	for _, v := range vs {
		s := str(v)
		if s == "" {
			continue
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

func sameDay(a, b time.Time) bool {
	a, b = a.UTC(), b.UTC()
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// str returns v as a string: a string, or a number as written.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// strs returns a string or an array of strings.
func strs(v any) []string {
	var out []string
	for _, e := range anyList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// anyList returns v as a list: itself when an array, else a list of one.
func anyList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// list returns the objects of an object or an array.
func list(v any) []obj {
	var out []obj
	for _, e := range anyList(v) {
		if o, ok := e.(obj); ok {
			out = append(out, o)
		}
	}
	return out
}

// first returns the first object of an object or an array.
func first(v any) obj {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return obj{}
}

func has(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

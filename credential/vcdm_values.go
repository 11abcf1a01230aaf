package credential

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// languageValue checks a name or description: a string, a language value
// object, or an array of them (one per language).
func (m *dataModel) languageValue(ptr string, obj jnode, name string) {
	v, ok := obj.get(name)
	if !ok {
		return
	}
	rule := ruleOf(name)
	if v.isArray() && v.empty() {
		m.add(ptr+"/"+name, rule, "%s must be a string or language value objects, got an empty array", name)
	}
	v.eachOne(func(i int, item jnode) {
		switch _, isString := item.str(); {
		case isString:
		case item.isObject():
			m.languageObject(pointerAt(ptr+"/"+name, i), item, rule)
		default:
			m.add(pointerAt(ptr+"/"+name, i), rule, `%s must be a string or a language value object ({"@value": "…", "@language": "en"}), got %s`, name, item.describe())
		}
	})
}

// languageTag is the well-formed language tag pattern of JSON-LD 1.1.
var languageTag = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)

// languageObject checks a language value object (VCDM 2.0 §11.1): @value,
// a string; @language, a language tag; @direction, ltr or rtl; nothing
// else.
func (m *dataModel) languageObject(p string, o jnode, rule string) {
	if v, ok := o.get("@value"); !ok {
		m.add(p+"/@value", rule, "a language value object needs @value, the text")
	} else if _, ok := v.str(); !ok {
		m.add(p+"/@value", rule, "@value must be the text, a string; got %s", v.describe())
	}
	if v, ok := o.get("@language"); ok && v.kind() != jsonobj.Null {
		if s, ok := v.str(); !ok || !languageTag.MatchString(s) {
			m.add(p+"/@language", rule, "@language must be a language tag such as en or pt-BR, got %s", v.describeValue())
		}
	}
	if v, ok := o.get("@direction"); ok && v.kind() != jsonobj.Null && !v.isString("ltr") && !v.isString("rtl") {
		m.add(p+"/@direction", rule, `@direction must be "ltr" or "rtl", got %s`, v.describeValue())
	}
	var keys []string
	for c := o.first(); c.in(o); c = c.next() {
		if k := c.key(); k != "@value" && k != "@language" && k != "@direction" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		m.add(p+"/"+escapePointer(k), rule, "a language value object holds only @value, @language and @direction, not %q", k)
	}
}

// dateTime checks a date-time property: an XML Schema dateTimeStamp when
// zone is set (VCDM 2.0), a dateTime otherwise (VCDM 1.1). It returns the
// instant when the value is valid and within the years time.Time parses.
func (m *dataModel) dateTime(ptr string, obj jnode, name string, required, zone bool) (time.Time, bool) {
	rule := ruleOf(name)
	v, ok := obj.get(name)
	if !ok {
		if required {
			m.add(ptr+"/"+name, rule, "%s is required: when the credential becomes valid, such as 2024-03-01T12:00:00Z", name)
		}
		return time.Time{}, false
	}
	s, ok := v.str()
	if !ok {
		m.add(ptr+"/"+name, rule, "%s must be a date-time string such as 2024-03-01T12:00:00Z, got %s", name, v.describe())
		return time.Time{}, false
	}
	t, comparable, err := parseXSDDateTime(s, zone)
	if err != nil {
		m.add(ptr+"/"+name, rule, "%s: %v", name, err)
		return time.Time{}, false
	}
	return t, comparable
}

// xsdDateTime is the lexical form of XML Schema 1.1 dateTime, with the
// time zone optional (dateTimeStamp requires it).
var xsdDateTime = regexp.MustCompile(`^(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|(24:00:00(?:\.0+)?))(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$`)

// parseXSDDateTime checks s as an XML Schema 1.1 dateTime (a
// dateTimeStamp when zone is set): the lexical form, and a day that
// exists in its month. It returns the instant when the year is one
// time.Time parses (0000 to 9999) and s has a time zone.
func parseXSDDateTime(s string, zone bool) (t time.Time, comparable bool, err error) {
	what := "an XML Schema dateTime such as 2024-03-01T12:00:00Z"
	if zone {
		what = "an XML Schema dateTimeStamp (a date-time with a time zone) such as 2024-03-01T12:00:00Z"
	}
	g := xsdDateTime.FindStringSubmatch(s)
	if g == nil || (zone && g[5] == "") {
		return time.Time{}, false, fmt.Errorf("%q is not %s", s, what)
	}
	month, _ := strconv.Atoi(g[2])
	day, _ := strconv.Atoi(g[3])
	if day > daysIn(month, g[1]) {
		return time.Time{}, false, fmt.Errorf("%q is not a date: month %d has no day %d", s, month, day)
	}
	if g[5] == "" || len(g[1]) != 4 {
		return time.Time{}, false, nil
	}
	norm, midnight := s, g[4] != ""
	if midnight { // 24:00:00 is the first instant of the next day
		norm = strings.Replace(s, g[4], "00:00:00", 1)
	}
	t, err = time.Parse(time.RFC3339Nano, norm)
	if err != nil {
		return time.Time{}, false, nil // valid, but not a form time.Parse reads
	}
	if midnight {
		t = t.AddDate(0, 0, 1)
	}
	return t, true, nil
}

// daysIn returns the number of days in month of year (a decimal string,
// possibly negative and of any length) in the proleptic Gregorian
// calendar that XML Schema uses.
func daysIn(month int, year string) int {
	switch month {
	case 2:
		// The year modulo 400 decides, computed digit by digit since a
		// year can be longer than any integer type. XML Schema 1.1 numbers
		// years astronomically (0000 is 1 BCE), so -n is leap as n is.
		r := 0
		for _, c := range strings.TrimPrefix(year, "-") {
			r = (r*10 + int(c-'0')) % 400
		}
		if r%4 == 0 && (r%100 != 0 || r == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

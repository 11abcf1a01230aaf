package jcs

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The kinds of error Transform reports; test for them with errors.Is.
var (
	ErrSyntax        = errors.New("invalid JSON")
	ErrInvalidUTF8   = errors.New("invalid UTF-8")
	ErrLoneSurrogate = errors.New("lone surrogate")
	ErrDuplicateName = errors.New("duplicate object member name")
	ErrNumberRange   = errors.New("number is not a finite IEEE 754 double")
	ErrTooDeep       = errors.New("nesting too deep")
)

// Error is the error that Transform and Append return: what is wrong, and
// where, as a byte offset into the input and as the JSON pointer of the
// innermost value that holds the problem.
type Error struct {
	Kind    error  // one of the Err* variables of this package
	Offset  int    // byte offset in the input where the problem was found
	Pointer string // RFC 6901 JSON pointer; "" is the whole document
	Detail  string // what was found, in words
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("jcs: ")
	b.WriteString(e.Detail)
	b.WriteString(" (offset ")
	b.WriteString(strconv.Itoa(e.Offset))
	if e.Pointer != "" {
		b.WriteString(", JSON pointer ")
		b.WriteString(strconv.Quote(e.Pointer))
	}
	b.WriteString(")")
	return b.String()
}

// Unwrap returns e.Kind, so that errors.Is(err, ErrDuplicateName) works.
func (e *Error) Unwrap() error { return e.Kind }

func (p *parser) errAt(kind error, offset int, detail string) error {
	return &Error{Kind: kind, Offset: offset, Detail: detail}
}

// atIndex and atName put err, found inside array element i or object member
// name, under that element or member, as the parser unwinds.
func atIndex(i int, err error) error {
	err.(*Error).Pointer = "/" + strconv.Itoa(i) + err.(*Error).Pointer
	return err
}

func atName(name []byte, err error) error {
	e := err.(*Error)
	tok := string(name)
	if strings.ContainsAny(tok, "~/") {
		tok = strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
	}
	e.Pointer = "/" + tok + e.Pointer
	return e
}

// quote quotes a decoded member name for an error message.
func quote(s []byte) string {
	if len(s) > 64 {
		// Cut at a character boundary so that the quoting stays readable.
		n := 64
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return strconv.Quote(string(s[:n])) + "..."
	}
	return strconv.Quote(string(s))
}

// quoteByte describes one input byte for an error message.
func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	return "0x" + string(hexDigits[c>>4]) + string(hexDigits[c&0xF])
}

func itoa(i int) string { return strconv.Itoa(i) }

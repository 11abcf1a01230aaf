package bake

import (
	"bytes"
)

// htmlTag is what scanHTML needs to know of a tag.
type htmlTag struct {
	name     string // lower case; "" if longer than any name that matters
	typ      string // the first type attribute, character references decoded
	hasType  bool
	end      int  // the offset after the tag's ">"
	complete bool // the tag ends before the page does
}

// maxTagName is the length of the longest tag name scanHTML cares about
// ("plaintext").
const maxTagName = 9

// The states of the HTML tokenizer inside a tag (13.2.5.8 and 13.2.5.32 to
// 13.2.5.40).
const (
	stTagName = iota
	stBeforeAttrName
	stAttrName
	stAfterAttrName
	stBeforeAttrValue
	stAttrValueDouble
	stAttrValueSingle
	stAttrValueUnquoted
	stAfterAttrValueQuoted
	stSelfClosingStartTag
)

// readTag reads a start or end tag whose name starts at page[i] (an ASCII
// letter), as the HTML tokenizer does.
func readTag(page []byte, i int) htmlTag {
	var (
		t          htmlTag
		name       [maxTagName]byte
		nameLen    int
		attr       []byte // the current attribute's name, lower case, while it may be "type"
		attrLong   bool   // the current attribute's name is longer than "type"
		valueStart int
		isType     bool // the current attribute is the first type attribute
	)
	st := stTagName
	finishValue := func(end int) {
		if isType {
			t.typ = decodeCharRefs(page[valueStart:end])
			isType = false
		}
	}
	startAttr := func() {
		attr, attrLong = attr[:0], false
	}
	endAttrName := func() {
		if !attrLong && string(attr) == "type" && !t.hasType {
			t.hasType, isType = true, true // a type attribute with no value is empty
		}
	}
	for j := i; j < len(page); j++ {
		c := page[j]
		switch st {
		case stTagName:
			switch {
			case isHTMLSpace(c):
				st = stBeforeAttrName
			case c == '/':
				st = stSelfClosingStartTag
			case c == '>':
				t.end, t.complete = j+1, true
			default:
				if nameLen < maxTagName {
					name[nameLen] = lowerASCII(c)
				}
				nameLen++
			}
		case stBeforeAttrName:
			switch {
			case isHTMLSpace(c):
			case c == '/' || c == '>':
				st = stAfterAttrName
				j--
			case c == '=':
				startAttr()
				attr = append(attr, '=')
				st = stAttrName
			default:
				startAttr()
				st = stAttrName
				j--
			}
		case stAttrName:
			switch {
			case isHTMLSpace(c) || c == '/' || c == '>':
				endAttrName()
				st = stAfterAttrName
				j--
			case c == '=':
				endAttrName()
				st = stBeforeAttrValue
			default:
				if len(attr) < len("type") && !attrLong {
					attr = append(attr, lowerASCII(c))
				} else {
					attrLong = true
				}
			}
		case stAfterAttrName:
			switch {
			case isHTMLSpace(c):
			case c == '/':
				isType = false
				st = stSelfClosingStartTag
			case c == '=':
				st = stBeforeAttrValue
			case c == '>':
				isType = false
				t.end, t.complete = j+1, true
			default:
				isType = false
				startAttr()
				st = stAttrName
				j--
			}
		case stBeforeAttrValue:
			switch {
			case isHTMLSpace(c):
			case c == '"':
				st, valueStart = stAttrValueDouble, j+1
			case c == '\'':
				st, valueStart = stAttrValueSingle, j+1
			case c == '>':
				isType = false
				t.end, t.complete = j+1, true
			default:
				st, valueStart = stAttrValueUnquoted, j
				j--
			}
		case stAttrValueDouble, stAttrValueSingle:
			q := byte('"')
			if st == stAttrValueSingle {
				q = '\''
			}
			k := bytes.IndexByte(page[j:], q)
			if k < 0 {
				return htmlTag{end: len(page)}
			}
			j += k
			finishValue(j)
			st = stAfterAttrValueQuoted
		case stAttrValueUnquoted:
			switch {
			case isHTMLSpace(c):
				finishValue(j)
				st = stBeforeAttrName
			case c == '>':
				finishValue(j)
				t.end, t.complete = j+1, true
			}
		case stAfterAttrValueQuoted:
			switch {
			case isHTMLSpace(c):
				st = stBeforeAttrName
			case c == '/':
				st = stSelfClosingStartTag
			case c == '>':
				t.end, t.complete = j+1, true
			default:
				st = stBeforeAttrName
				j--
			}
		case stSelfClosingStartTag:
			if c == '>' {
				t.end, t.complete = j+1, true
			} else {
				st = stBeforeAttrName
				j--
			}
		}
		if t.complete {
			if nameLen <= maxTagName {
				t.name = string(name[:nameLen])
			}
			return t
		}
	}
	return htmlTag{end: len(page)}
}

package schema

import (
	"fmt"
	"slices"
)

// compileNames compiles v, the propertyNames schema at ptr. A property
// name is a string with no node of its own in the tree, so the schema is
// applied to the name itself (validName): it may use the keywords that
// apply to a string (type, enum, format, pattern) and those that never
// apply to one (properties, items…), but nothing that applies another
// schema to the name ($ref, allOf, oneOf, anyOf).
func (c *treeCompiler) compileNames(v any, ptr string) (*treeSchema, error) {
	s, err := c.compile(v, ptr)
	if err != nil {
		return nil, err
	}
	if s.ref != nil || s.allOf != nil || s.oneOf != nil || s.anyOf != nil {
		return nil, fmt.Errorf("propertyNames at %q applies other schemas: %w", ptr, errUnsupported)
	}
	return s, nil
}

// validName reports whether the property name is valid against s, a
// schema compiled by compileNames: the name is a string.
func (s *treeSchema) validName(name string) bool {
	if s.boolean {
		return s.always
	}
	if s.types != 0 && s.types&typeString == 0 {
		return false
	}
	if s.enum != nil && !slices.Contains(s.enum, name) {
		return false
	}
	switch s.format {
	case formatDate:
		if !validDate(name) {
			return false
		}
	case formatDateTime:
		if !validDateTime(name) {
			return false
		}
	}
	return s.pattern == nil || s.pattern.MatchString(name)
}

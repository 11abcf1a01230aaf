package schema

import (
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// fixPropertyNames gives every propertyNames failure in the error tree
// under e the location of the object it is about.
//
// santhosh-tekuri/jsonschema v6.0.3 sets such an error's InstanceLocation
// to its validator's own location slice, not to a copy as it does for
// every other error; that slice shares its array with the locations of the
// object's siblings, which overwrite it as they are validated (in map
// order), so the reported location can name a sibling instead, and differ
// from run to run. Its length is right, and so is the location of the
// error it is a cause of when that error is about the same value (a
// oneOf, anyOf or allOf, a $ref, or the group of the schema's errors):
// then the parent's location, which the library copied, is taken. Any
// other (a propertyNames failure that is the only error of a property's
// schema) is left as reported; the CLR 2.0 schema, the only embedded one
// with propertyNames, puts it in a oneOf branch every time.
func fixPropertyNames(e *jsonschema.ValidationError) {
	for _, c := range e.Causes {
		if _, ok := c.ErrorKind.(*kind.PropertyNames); ok && len(c.InstanceLocation) == len(e.InstanceLocation) {
			c.InstanceLocation = slices.Clone(e.InstanceLocation)
		}
		fixPropertyNames(c)
	}
}

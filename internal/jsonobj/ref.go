package jsonobj

import "encoding/json"

// RefID returns the id of a JSON value that refers to something either by
// its id alone or as an object with an "id" member (a VC Data Model
// issuer, for one): the string, or the object's string id, or "" for
// anything else.
func RefID(raw []byte) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.ID
	}
	return ""
}

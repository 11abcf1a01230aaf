package jose

import (
	"bytes"
	"encoding/json"
)

// The functions here are the ones replaced to spend less memory, kept as
// they were to be the oracles of the equivalence tests
// (equivalence_test.go).

// isPresentationTokenOld is IsPresentationToken before it decoded into a
// reused buffer.
func isPresentationTokenOld(token []byte) bool {
	parts := bytes.Split(bytes.TrimSpace(token), []byte("."))
	if len(parts) != 3 || len(parts[0]) > 64<<10 {
		return false
	}
	headerJSON, err := decodeSegment(parts[0])
	if err != nil {
		return false
	}
	var h struct {
		Type string `json:"typ"`
	}
	if json.Unmarshal(headerJSON, &h) != nil {
		return false
	}
	switch typ := mediaName(h.Type); typ {
	case "vp+jwt", "vp+ld+json+jwt":
		return true
	case "", "jwt":
	default:
		return false
	}
	payload, err := decodeSegment(parts[1])
	if err != nil || !bytes.Contains(payload, []byte(`"vp"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil {
		return false
	}
	_, ok := m["vp"]
	return ok
}

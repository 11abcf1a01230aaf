package issuer

import (
	"fmt"
	"time"
)

// FilePathway is a Pathway as a configuration file writes it, among an
// achievement's criteria: every one of some achievements,
//
//	"criteria": {"pathway": {"allOf": ["https://example.edu/achievements/stats-101", "https://example.edu/achievements/ml-201"], "ordered": true}}
//
// or n of them, here within two years:
//
//	"criteria": {"pathway": {"nOf": 2, "of": ["…/a", "…/b", "…/c"], "within": "17520h"}}
//
// Beside other criteria ("window", "evidence"), both the pathway and they
// must be met: the pathway's award is submitted as completed at the time
// of the last award it counts, with the credentials it rests on as
// evidence.
type FilePathway struct {
	// AllOf lists achievement ids, all of which are needed; or NOf of
	// those Of lists. One of the two forms.
	AllOf []string `json:"allOf,omitempty"`
	NOf   int      `json:"nOf,omitempty"`
	Of    []string `json:"of,omitempty"`
	// Ordered: the achievements are listed in the order they are taken
	// (see Pathway.Ordered).
	Ordered bool `json:"ordered,omitempty"`
	// Within is Pathway.Within as time.ParseDuration reads it ("17520h").
	Within string `json:"within,omitempty"`
}

// pathway returns the Pathway the criteria define, nil for none. Whether
// its achievements exist, and form no cycle, is for New to say.
func (c *FileCriteria) pathway() (*Pathway, error) {
	if c == nil || c.Pathway == nil {
		return nil, nil
	}
	fp := c.Pathway
	var p Pathway
	switch {
	case len(fp.AllOf) > 0 && (fp.NOf != 0 || len(fp.Of) > 0):
		return nil, fmt.Errorf("%w: allOf, or nOf with of, not both", ErrConfig)
	case len(fp.AllOf) > 0:
		p.Of = fp.AllOf
	case len(fp.Of) == 0:
		return nil, fmt.Errorf("%w: no achievements: write \"allOf\": [ids] or \"nOf\": N, \"of\": [ids]", ErrConfig)
	case fp.NOf < 1 || fp.NOf > len(fp.Of):
		return nil, fmt.Errorf("%w: nOf %d of %d achievements: want 1 to %d", ErrConfig, fp.NOf, len(fp.Of), len(fp.Of))
	default:
		p.Of, p.N = fp.Of, fp.NOf
	}
	p.Ordered = fp.Ordered
	if fp.Within != "" {
		d, err := time.ParseDuration(fp.Within)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%w: within %q: want a duration such as 17520h", ErrConfig, fp.Within)
		}
		p.Within = d
	}
	return &p, nil
}

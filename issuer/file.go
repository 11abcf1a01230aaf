package issuer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/status"
)

// MaxConfigBytes bounds a configuration file.
const MaxConfigBytes = 4 << 20

// FileConfig is an issuer's configuration as a file holds it: the format
// `openbadges issue --config` and `openbadges init` use, read by
// ParseConfig. It says who the issuer is, where its key and its stores
// are, and which achievements it awards on which criteria. Paths are the
// file's to resolve (the command line takes them relative to the file's
// folder); opening stores and keys is the caller's, so that this package
// depends on no database.
//
// The credentials name as their verification method the id under which
// the issuer's document lists the key: KeyID, or the key file's own id. A
// key directory (KeyStore) instead holds the issuer's active key and its
// id. The records, review queue and status lists are kept either in
// folders (Records, Review, Status.Store) or in a database (Database), not
// both.
type FileConfig struct {
	// Comment is for people; it is ignored.
	Comment string `json:"comment,omitempty"`
	// Issuer is the issuer's Profile: an object, or its id.
	Issuer json.RawMessage `json:"issuer"`
	// Key is a private key file (a JWK) and KeyID the verification method
	// it signs as; or KeyStore is a key directory (keys.DirStore).
	Key      string `json:"key,omitempty"`
	KeyID    string `json:"keyId,omitempty"`
	KeyStore string `json:"keyStore,omitempty"`
	// Formats is "di" (the default), "jwt" or "both".
	Formats string `json:"formats,omitempty"`
	// Validity is how long credentials are valid, as time.ParseDuration
	// reads it ("26280h"); empty: no end.
	Validity string `json:"validity,omitempty"`
	// Records and Review are folders (DirRecords, DirQueue); Database is
	// a database URL (sqlite:FILE, postgres://…) that keeps the records,
	// the review queue and the status lists instead.
	Records  string `json:"records,omitempty"`
	Review   string `json:"review,omitempty"`
	Database string `json:"database,omitempty"`
	// Status names the status list credentials get.
	Status *FileStatus `json:"status,omitempty"`
	// Achievements are what the issuer awards, each with its criteria.
	Achievements []FileAchievement `json:"achievements"`
}

// FileStatus is where a FileConfig's status lists are.
type FileStatus struct {
	// Store is a folder of lists (status.OpenDir); none with a Database.
	Store string `json:"store,omitempty"`
	// Bitstring or RevocationList is the URL of the list credentials get
	// an entry in (see StatusConfig).
	Bitstring      string `json:"bitstring,omitempty"`
	RevocationList string `json:"revocationList,omitempty"`
	// Purpose is the Bitstring list's purpose: "revocation" (the default)
	// or "suspension", for an issuer that suspends credentials and lifts
	// the suspension (see Issuer.Suspend).
	Purpose string `json:"purpose,omitempty"`
}

// FileAchievement is an achievement and its criteria.
type FileAchievement struct {
	// Comment is for people; it is ignored.
	Comment string `json:"comment,omitempty"`
	// Achievement is the OB 3.0 Achievement, as JSON.
	Achievement json.RawMessage `json:"achievement"`
	// Criteria decide a submission; without them the achievement cannot
	// be issued automatically (ErrNoEvaluator).
	Criteria *FileCriteria `json:"criteria,omitempty"`
}

// FileCriteria lists what a submission must meet: every criterion given
// (AllOf). With MinScore and ReviewFrom, a score from ReviewFrom up to the
// minimum goes to a person.
type FileCriteria struct {
	Completion bool `json:"completion,omitempty"`
	MinScore   *struct {
		ResultDescription string `json:"resultDescription"`
		Min               string `json:"min"`
	} `json:"minScore,omitempty"`
	ReviewFrom string `json:"reviewFrom,omitempty"`
	Evidence   *struct {
		Count int      `json:"count"`
		Kinds []string `json:"kinds"`
	} `json:"evidence,omitempty"`
	Rubric *struct {
		ResultDescription string `json:"resultDescription"`
		Min               string `json:"min"`
	} `json:"rubric,omitempty"`
	Prerequisites []string `json:"prerequisites,omitempty"`
	Window        *struct {
		NotBefore time.Time `json:"notBefore"`
		NotAfter  time.Time `json:"notAfter"`
	} `json:"window,omitempty"`
	// Pathway makes the achievement a combination of others (see
	// Pathway); with other criteria, both must be met.
	Pathway *FilePathway `json:"pathway,omitempty"`
}

// ParseConfig reads a configuration file. Members it does not know are an
// error (a misspelt "reviewfrom" would otherwise award without a review),
// and so is more than MaxConfigBytes.
func ParseConfig(data []byte) (*FileConfig, error) {
	if len(data) > MaxConfigBytes {
		return nil, fmt.Errorf("%w: a configuration of %d bytes, more than %d", ErrConfig, len(data), MaxConfigBytes)
	}
	var fc FileConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, fmt.Errorf("%w: unknown member %s", ErrConfig, f)
		}
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: text after the configuration", ErrConfig)
	}
	if len(fc.Issuer) == 0 {
		return nil, fmt.Errorf("%w: issuer is required", ErrConfig)
	}
	return &fc, nil
}

// Profile returns the issuer's profile.
func (fc *FileConfig) Profile() (*credential.Profile, error) {
	p, err := credential.ParseProfile(fc.Issuer, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: issuer: %w", ErrConfig, err)
	}
	return p, nil
}

// Settings returns the Formats and Validity the file sets.
func (fc *FileConfig) Settings() (Formats, time.Duration, error) {
	var f Formats
	switch fc.Formats {
	case "", "di":
		f = FormatDataIntegrity
	case "jwt":
		f = FormatJWT
	case "both":
		f = FormatBoth
	default:
		return 0, 0, fmt.Errorf("%w: formats %q: want di, jwt or both", ErrConfig, fc.Formats)
	}
	var v time.Duration
	if fc.Validity != "" {
		var err error
		if v, err = time.ParseDuration(fc.Validity); err != nil || v < 0 {
			return 0, 0, fmt.Errorf("%w: validity %q: want a duration such as 26280h", ErrConfig, fc.Validity)
		}
	}
	return f, v, nil
}

// StatusConfig returns the StatusConfig the file's status section names,
// its lists kept in store (a status.DirStore for Status.Store, or a
// database's) and created there on first use. A list that exists already
// must be what the file says (its method and purpose); else the error
// wraps ErrConfig. Without a status section it returns the zero
// StatusConfig: credentials without status.
func (fc *FileConfig) StatusConfig(ctx context.Context, store status.Store) (StatusConfig, error) {
	s := fc.Status
	if s == nil {
		return StatusConfig{}, nil
	}
	purpose := status.Purpose(s.Purpose)
	switch purpose {
	case "":
		purpose = status.Revocation
	case status.Revocation, status.Suspension:
	default:
		return StatusConfig{}, fmt.Errorf("%w: status.purpose %q: want revocation or suspension", ErrConfig, s.Purpose)
	}
	if s.Bitstring != "" && s.RevocationList != "" {
		return StatusConfig{}, fmt.Errorf("%w: status.bitstring and status.revocationList are both set, and an Open Badges 3.0 credential has one status entry: set one", ErrConfig)
	}
	if s.RevocationList != "" && s.Purpose != "" && purpose != status.Revocation {
		return StatusConfig{}, fmt.Errorf("%w: status.purpose %q: a 1EdTech revocation list can only revoke", ErrConfig, s.Purpose)
	}
	reg := &status.Registry{Store: store, NextURL: status.NextNumberedURL}
	for _, l := range []struct {
		url    string
		method status.Method
	}{{s.Bitstring, status.MethodBitstring}, {s.RevocationList, status.Method1EdTech}} {
		if l.url == "" {
			continue
		}
		opts := &status.ListOptions{Method: l.method}
		if l.method == status.MethodBitstring {
			opts.Purpose = purpose
		}
		_, err := reg.Create(ctx, l.url, opts)
		if errors.Is(err, status.ErrExists) {
			var have *status.List
			if have, err = store.Load(ctx, l.url); err == nil && (have.Method != l.method || (l.method == status.MethodBitstring && have.Purpose != purpose)) {
				err = fmt.Errorf("%w: it is a %s list of purpose %s, and the configuration asks for %s", ErrConfig, have.Method, have.Purpose, purpose)
			}
		}
		if err != nil {
			return StatusConfig{}, fmt.Errorf("status list %s: %w", l.url, err)
		}
	}
	return StatusConfig{Registry: reg, Bitstring: s.Bitstring, RevocationList: s.RevocationList}, nil
}

// Awards returns the achievements the file lists, each with the evaluator
// its criteria make (nil, so that it cannot be issued, when it has none).
func (fc *FileConfig) Awards() ([]Achievement, error) {
	out := make([]Achievement, 0, len(fc.Achievements))
	for n, a := range fc.Achievements {
		ach := &credential.Achievement{}
		if err := json.Unmarshal(a.Achievement, ach); err != nil {
			return nil, fmt.Errorf("%w: achievements[%d]: %w", ErrConfig, n, err)
		}
		p, err := a.Criteria.pathway()
		if err != nil {
			return nil, fmt.Errorf("achievements[%d] (%s): criteria.pathway: %w", n, ach.ID, err)
		}
		out = append(out, Achievement{Achievement: ach, Evaluator: a.Criteria.Evaluator(), Pathway: p})
	}
	return out, nil
}

// Evaluator turns the criteria into an Evaluator: nil when none is given,
// the one criterion, or AllOf them. A Pathway is not among them: Awards
// sets it as the achievement's Pathway, whose evaluator the Issuer makes.
func (c *FileCriteria) Evaluator() Evaluator {
	if c == nil {
		return nil
	}
	var all []Evaluator
	if c.Completion {
		all = append(all, Completion{})
	}
	if c.MinScore != nil {
		var e Evaluator = MinScore{ResultDescription: c.MinScore.ResultDescription, Min: c.MinScore.Min}
		if c.ReviewFrom != "" {
			e = AnyOf(e, ReviewWhen{
				Evaluator: MinScore{ResultDescription: c.MinScore.ResultDescription, Min: c.ReviewFrom},
				Reason:    fmt.Sprintf("a score from %s up to the minimum needs a person", c.ReviewFrom),
			})
		}
		all = append(all, e)
	}
	if c.Evidence != nil {
		all = append(all, RequiredEvidence{Count: c.Evidence.Count, Kinds: c.Evidence.Kinds})
	}
	if c.Rubric != nil {
		all = append(all, RubricLevel{ResultDescription: c.Rubric.ResultDescription, Min: c.Rubric.Min})
	}
	if len(c.Prerequisites) > 0 {
		all = append(all, Prerequisites{Achievements: c.Prerequisites})
	}
	if c.Window != nil {
		all = append(all, TimeWindow{NotBefore: c.Window.NotBefore, NotAfter: c.Window.NotAfter})
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return AllOf(all...)
}

package issuer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/internal/filestore"
	"github.com/go-openbadges/openbadges/status"
)

// State is where an award stands.
type State string

// The states of a Record.
const (
	StateIssued   State = "issued"
	StateDenied   State = "denied"
	StateInReview State = "in-review"
	StateRejected State = "rejected" // denied by a reviewer
	StateRevoked  State = "revoked"
	// StateSuspended: the credential is suspended until Unsuspend.
	StateSuspended State = "suspended"
)

// A Record is what the issuer remembers about one award key: the decision,
// and the credential if one was issued. Records answer "who earned what"
// and are what revocation works from. They hold the learner as the LMS
// named them: they are the issuer's own data, never logged.
type Record struct {
	// AwardKey identifies the learner and achievement pair (see AwardKey).
	AwardKey string `json:"awardKey"`
	// AchievementID is the achievement's id.
	AchievementID string `json:"achievementId"`
	// Learner is who it is for, as the Issuer keeps it at rest: the
	// learner's id (a URI they control), never their email address or
	// name, which stay in the submission and the review item.
	Learner Learner `json:"learner"`
	// State is the outcome so far.
	State State `json:"state"`
	// Reasons are the evaluator's (or reviewer's) reasons.
	Reasons []string `json:"reasons,omitempty"`
	// ReviewID is the review queue item, while and after in review.
	ReviewID string `json:"reviewId,omitempty"`
	// CredentialID is the issued credential's id, kept across reissues.
	CredentialID string `json:"credentialId,omitempty"`
	// Credential is the issued credential as JSON (with its Data Integrity
	// proof), JWT its VC-JWT; either may be empty per the formats.
	Credential json.RawMessage `json:"credential,omitempty"`
	JWT        string          `json:"jwt,omitempty"`
	// Status lists the credential's credentialStatus entries.
	Status []status.Entry `json:"status,omitempty"`
	// AwardedAt is when the achievement was first awarded (awardedDate);
	// IssuedAt when the current credential was issued (its validFrom).
	AwardedAt time.Time `json:"awardedAt,omitzero"`
	IssuedAt  time.Time `json:"issuedAt,omitzero"`
	// Updated is when the record last changed.
	Updated time.Time `json:"updated"`
	// Submitted is when the first submission for the award key came in
	// (its SubmittedAt, or when it was first decided), kept across
	// decisions: time to award is measured from it.
	Submitted time.Time `json:"submitted,omitzero"`
	// History lists the changes of State, oldest first: what Insights
	// counts. A reissue, which changes no state, adds none.
	History []Event `json:"history,omitempty"`
}

// An Event is one change of a Record's State.
type Event struct {
	// At is when it changed.
	At time.Time `json:"at"`
	// From is the state before; empty for the first decision.
	From State `json:"from,omitempty"`
	// State is the state entered.
	State State `json:"state"`
	// By names the person who decided: the reviewer who approved or
	// rejected, the person who reinstated. Empty when the criteria
	// decided, and for revocations and suspensions, whose reason is in
	// the record's Reasons.
	By string `json:"by,omitempty"`
}

// enter adds the change of r's State from the state from, decided by by,
// to its History, if it is a change. Saving the same change again (a
// retry) replaces the event rather than adding another.
func (r *Record) enter(from State, by string) {
	if from == r.State {
		return
	}
	ev := Event{At: r.Updated.UTC(), From: from, State: r.State, By: by}
	if n := len(r.History); n > 0 && r.History[n-1].State == ev.State && r.History[n-1].At.Equal(ev.At) {
		r.History[n-1] = ev
		return
	}
	r.History = append(r.History, ev)
}

// ErrRecordNotFound is wrapped by a Records' error for an award key it does
// not hold.
var ErrRecordNotFound = errors.New("issuer: no record for this award key")

// ErrRecordExists is wrapped by Records.Create when the award key already
// has a record.
var ErrRecordExists = errors.New("issuer: the award key already has a record")

// ErrRecordChanged is wrapped by RecordSwapper.Swap when the record is no
// longer in the state the caller read: another process changed it.
var ErrRecordChanged = errors.New("issuer: the record changed since it was read")

// Records keeps the issuer's records. Implementations must be safe for
// concurrent use. Create must be atomic (insert only if absent): it is what
// makes issuance idempotent across processes, and a SQL implementation
// gives it a unique constraint on the award key. Package sqlstore has one
// on SQLite and PostgreSQL, with a ReviewQueue and a status.Store beside
// it, for issuers that run as several instances.
type Records interface {
	// Get returns the record of key, or an error wrapping
	// ErrRecordNotFound.
	Get(ctx context.Context, key string) (*Record, error)
	// Create adds r, or fails with an error wrapping ErrRecordExists.
	Create(ctx context.Context, r *Record) error
	// Put replaces the record of r.AwardKey (or adds it).
	Put(ctx context.Context, r *Record) error
	// List returns the records matching f, ordered by award key: at most
	// f.Limit of them (if positive), after f.After (if set).
	List(ctx context.Context, f Filter) ([]*Record, error)
}

// A RecordSwapper is a Records that can replace a record only while it is
// in the state the caller read (a compare-and-swap on the state). An Issuer
// whose Records has it stores every decision about an award key that
// already has a record with Swap, so that two processes sharing the
// records cannot both replace a denial with a credential of their own, nor
// one of them a credential with a denial; a SQL implementation is an
// UPDATE … WHERE award_key = $1 AND state = $2. Without it the Issuer uses
// Put, which is safe between the goroutines of one Issuer only. (A first
// decision needs no swap: Create settles it.)
type RecordSwapper interface {
	Records
	// Swap stores r in place of the record of r.AwardKey if that record's
	// state is from. It fails with an error wrapping ErrRecordChanged if
	// the state is another, and ErrRecordNotFound if there is no record.
	Swap(ctx context.Context, r *Record, from State) error
}

// Filter selects records; the zero Filter selects all.
type Filter struct {
	// AchievementID, if set, selects that achievement's records.
	AchievementID string
	// State, if set, selects records in that state.
	State State
	// After, if set, selects the records whose award key sorts after it
	// (byte-wise): the page after one that ended with that key.
	After string
	// Limit, if positive, is the most records List returns: a page.
	Limit int
}

func (f Filter) match(r *Record) bool {
	return (f.AchievementID == "" || r.AchievementID == f.AchievementID) && (f.State == "" || r.State == f.State) &&
		(f.After == "" || r.AwardKey > f.After)
}

// page cuts records sorted by award key to the Filter's Limit.
func (f Filter) page(out []*Record) []*Record {
	if f.Limit > 0 && len(out) > f.Limit {
		clear(out[f.Limit:])
		out = out[:f.Limit]
	}
	return out
}

// MemoryRecords keeps records in memory. The zero value is ready to use.
type MemoryRecords struct {
	mu sync.Mutex
	m  map[string]*Record
}

var _ RecordSwapper = (*MemoryRecords)(nil)

// encodeRecord writes r as compact JSON without HTML escaping, so that the
// credential's bytes are kept exactly as they were signed (the default
// encoder would rewrite <, > and & in them, json.MarshalIndent re-indent
// them).
func encodeRecord(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func clone(r *Record) *Record {
	b, _ := encodeRecord(r)
	var c Record
	_ = json.Unmarshal(b, &c)
	return &c
}

// Get implements Records.
func (s *MemoryRecords) Get(ctx context.Context, key string) (*Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrRecordNotFound, key)
	}
	return clone(r), nil
}

// Create implements Records.
func (s *MemoryRecords) Create(ctx context.Context, r *Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[r.AwardKey]; ok {
		return fmt.Errorf("%w: %s", ErrRecordExists, r.AwardKey)
	}
	if s.m == nil {
		s.m = map[string]*Record{}
	}
	s.m[r.AwardKey] = clone(r)
	return nil
}

// Put implements Records.
func (s *MemoryRecords) Put(ctx context.Context, r *Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*Record{}
	}
	s.m[r.AwardKey] = clone(r)
	return nil
}

// Swap implements RecordSwapper.
func (s *MemoryRecords) Swap(ctx context.Context, r *Record, from State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.m[r.AwardKey]
	switch {
	case !ok:
		return fmt.Errorf("%w: %s", ErrRecordNotFound, r.AwardKey)
	case cur.State != from:
		return fmt.Errorf("%w: %s is %s, not %s", ErrRecordChanged, r.AwardKey, cur.State, from)
	}
	s.m[r.AwardKey] = clone(r)
	return nil
}

// List implements Records.
func (s *MemoryRecords) List(ctx context.Context, f Filter) ([]*Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*Record
	for _, r := range s.m {
		if f.match(r) {
			match = append(match, r)
		}
	}
	slices.SortFunc(match, func(a, b *Record) int { return strings.Compare(a.AwardKey, b.AwardKey) })
	match = f.page(match)
	out := make([]*Record, len(match))
	for k, r := range match {
		out[k] = clone(r)
	}
	return out, nil
}

// tempPrefix names the temporary files of DirRecords and the issuer's
// other folders: those of every file store (package filestore).
const tempPrefix = filestore.TempPrefix

// DirRecords keeps one JSON file per award key in a directory, each written
// atomically (package filestore: a temporary file, fsync, rename, fsync of
// the directory), so that a crash never leaves a half-written record. It is
// safe for concurrent use; Create is atomic across processes too (a hard
// link, which fails if the name exists).
type DirRecords struct {
	dir filestore.Dir
}

var _ Records = (*DirRecords)(nil)

// OpenDirRecords opens (creating it, 0700) the directory dir as a record
// store. Records written by earlier versions of this package kept the
// learner's email address and name: the first open rewrites them without
// (keeping the learner's id, as the Issuer now stores them) and leaves a
// marker file, so it happens once.
func OpenDirRecords(dir string) (*DirRecords, error) {
	path, err := filestore.Open(dir, "issuer: records")
	if err != nil {
		return nil, err
	}
	s := &DirRecords{dir: filestore.Dir{Path: path, Prefix: "issuer: records"}}
	if err := s.scrub(); err != nil {
		return nil, err
	}
	return s, nil
}

// scrubbedMarker marks a records directory whose records keep no email
// address or name (see OpenDirRecords).
const scrubbedMarker = ".learners-scrubbed"

// scrub rewrites the records that keep a learner's email address or name
// without them, once per directory.
func (s *DirRecords) scrub() error {
	if _, err := os.Stat(s.dir.Join(scrubbedMarker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(s.dir.Path)
	if err != nil {
		return fmt.Errorf("issuer: records: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		r, err := s.Get(context.Background(), strings.TrimSuffix(name, ".json"))
		if err != nil {
			return err
		}
		if r.Learner == atRest(r.Learner) {
			continue
		}
		r.Learner = atRest(r.Learner)
		if err := s.Put(context.Background(), r); err != nil {
			return err
		}
	}
	_, err = s.dir.Replace(scrubbedMarker, []byte("records written without learners' email addresses and names\n"))
	return err
}

func (s *DirRecords) path(key string) (string, error) {
	if key == "" || strings.ContainsAny(key, `/\.`) {
		return "", fmt.Errorf("issuer: records: award key %q cannot name a file", key)
	}
	return s.dir.Join(key + ".json"), nil
}

// Get implements Records.
func (s *DirRecords) Get(ctx context.Context, key string) (*Record, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrRecordNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("issuer: records: %w", err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("issuer: records: %s: %w", p, err)
	}
	return &r, nil
}

// Create implements Records.
func (s *DirRecords) Create(ctx context.Context, r *Record) error {
	p, err := s.path(r.AwardKey)
	if err != nil {
		return err
	}
	b, err := encodeRecord(r)
	if err != nil {
		return fmt.Errorf("issuer: records: %w", err)
	}
	if err := s.dir.Create(filepath.Base(p), append(b, '\n')); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%w: %s", ErrRecordExists, r.AwardKey)
		}
		return err
	}
	return nil
}

// Put implements Records.
func (s *DirRecords) Put(ctx context.Context, r *Record) error {
	p, err := s.path(r.AwardKey)
	if err != nil {
		return err
	}
	b, err := encodeRecord(r)
	if err != nil {
		return fmt.Errorf("issuer: records: %w", err)
	}
	_, err = s.dir.Replace(filepath.Base(p), append(b, '\n'))
	return err
}

// List implements Records.
func (s *DirRecords) List(ctx context.Context, f Filter) ([]*Record, error) {
	entries, err := os.ReadDir(s.dir.Path)
	if err != nil {
		return nil, fmt.Errorf("issuer: records: %w", err)
	}
	var out []*Record
	for _, e := range entries { // ReadDir sorts by name: by award key
		name := e.Name()
		key := strings.TrimSuffix(name, ".json")
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") || (f.After != "" && key <= f.After) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := s.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		if f.match(r) {
			out = append(out, r)
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
	}
	return out, nil
}

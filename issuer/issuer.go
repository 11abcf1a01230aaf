package issuer

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/render"
	"github.com/go-openbadges/openbadges/render/pdf"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/status"
	"github.com/go-openbadges/openbadges/verify"
)

// Formats says which proofs an issued credential gets.
type Formats int

const (
	// FormatDataIntegrity is an embedded eddsa-rdfc-2022 proof (or
	// ecdsa-rdfc-2019 for an ECDSA key): the default.
	FormatDataIntegrity Formats = iota
	// FormatJWT is a VC-JWT.
	FormatJWT
	// FormatBoth is the Data Integrity proof, then a VC-JWT over the
	// credential that carries it, in the order OB 3.0 gives.
	FormatBoth
)

// Errors of issuance, for callers to branch on with errors.Is.
var (
	// ErrConfig: the Config cannot be used.
	ErrConfig = errors.New("issuer: bad configuration")
	// ErrUnknownAchievement: the submission names an achievement the
	// Config does not have.
	ErrUnknownAchievement = errors.New("issuer: unknown achievement")
	// ErrNoEvaluator: the achievement has no Evaluator, so nothing can be
	// awarded for it automatically.
	ErrNoEvaluator = errors.New("issuer: the achievement has no evaluator; it cannot be issued automatically")
	// ErrNoRecipient: the learner has neither an id nor an email address.
	ErrNoRecipient = errors.New("issuer: the learner has neither an id nor an email address")
	// ErrSelfCheck: what was signed does not verify; nothing is handed out.
	ErrSelfCheck = errors.New("issuer: the issued credential does not verify")
	// ErrCertificate: the credential was issued and recorded, but its
	// certificate forms could not be made (see Config.Certificates). The
	// Issued is returned with the error.
	ErrCertificate = errors.New("issuer: the certificate could not be made")
	// ErrNotIssued: the award key has no issued credential (to revoke,
	// reissue or bake).
	ErrNotIssued = errors.New("issuer: no credential issued for this award key")
	// ErrState: the award's state does not allow the operation (lifting
	// the suspension of an award that is not suspended, reinstating one
	// that was neither revoked nor rejected).
	ErrState = errors.New("issuer: the award's state does not allow this")
	// ErrOverride: an override (Reinstate) does not say who made it and
	// why.
	ErrOverride = errors.New("issuer: an override needs who and why")
)

// Achievement is an achievement the issuer awards, with how it decides.
type Achievement struct {
	// Achievement is the OB 3.0 achievement, as it goes into credentials.
	// Its ID identifies it in submissions.
	*credential.Achievement
	// Evaluator decides submissions. Without one, the achievement cannot be
	// issued automatically: Issue fails with ErrNoEvaluator.
	Evaluator Evaluator
	// Validity, if set, overrides Config.Validity for this achievement.
	Validity time.Duration
	// Endorsements are signed EndorsementCredentials (JSON, as Endorse
	// returns them) embedded in every credential for this achievement.
	Endorsements [][]byte
	// Pathway, if set, makes the achievement a combination of others,
	// awarded automatically when a learner holds them (see Pathway). Its
	// evaluator is the pathway's, and Evaluator too if set.
	Pathway *Pathway
}

// StatusConfig says how issued credentials can be revoked.
type StatusConfig struct {
	// Registry allocates entries. If nil, credentials carry no status and
	// cannot be revoked.
	Registry *status.Registry
	// Bitstring is the URL of the W3C Bitstring Status List (revocation)
	// to allocate from; it must exist in the Registry. Empty for none.
	Bitstring string
	// RevocationList is the URL of a 1EdTech revocation list; it must
	// exist in the Registry. Empty for none. An Open Badges 3.0 credential
	// has one credentialStatus (its JSON Schema allows no array), so
	// Bitstring and RevocationList cannot both be set.
	RevocationList string
}

// Config configures an Issuer: a plain struct whose zero fields have
// useful defaults, except Issuer, Keys and Achievements.
type Config struct {
	// Issuer is the issuer's profile; its ID is the issuer id the signing
	// key must be controlled by.
	Issuer *credential.Profile
	// Keys holds the signing key: KeyID, or the active key of Issuer.ID.
	Keys  keys.Store
	KeyID string
	// Formats is which proofs credentials get. The zero value is
	// FormatDataIntegrity.
	Formats Formats
	// Achievements are what can be awarded.
	Achievements []Achievement
	// Status makes credentials revocable. The zero value issues
	// credentials without status.
	Status StatusConfig
	// Validity is how long credentials are valid (validUntil). Zero means
	// no end.
	Validity time.Duration
	// Records keeps what was decided and issued. If nil, a MemoryRecords.
	Records Records
	// Review receives submissions an evaluator sends to a person. If nil, a
	// MemoryQueue.
	Review ReviewQueue
	// Check is the trust of the verifier every credential goes through
	// before it is handed out (the self-check), at the current time (or,
	// with Now set, at the issuance time). Its Keys is always Keys: the
	// self-check confirms the signing key from the live key store, so an
	// issuer of any identifier kind (did:key, did:jwk, did:web, https)
	// checks what it signs without its published document, before and
	// after a rotation. If nil, the zero verify.Trust with that store.
	Check *verify.Trust
	// Logger receives the audit log: one record per decision and issuance,
	// with the award key and never the learner's data. If nil, nothing is
	// logged.
	Logger *slog.Logger
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// Certificates, when its Renderer is set, gives every credential
	// Issue, Approve and Reissue return its certificate forms
	// (Issued.Certificate).
	Certificates Certificates
}

// An Issuer turns submissions into signed credentials. It is safe for
// concurrent use.
type Issuer struct {
	cfg          Config
	achievements map[string]*Achievement
	records      Records
	review       ReviewQueue
	log          *slog.Logger
	// partOf lists, for each achievement, the pathway achievements it is
	// part of.
	partOf map[string][]string

	// checker verifies every credential before it is handed out.
	checker *verify.Verifier

	mu      sync.Mutex
	locks   map[string]*keyLock
	signers map[string]*signers
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// New returns an Issuer for cfg.
func New(cfg Config) (*Issuer, error) {
	switch {
	case cfg.Issuer == nil || cfg.Issuer.ID == "":
		return nil, fmt.Errorf("%w: Issuer with an ID is required", ErrConfig)
	case cfg.Keys == nil:
		return nil, fmt.Errorf("%w: Keys is required", ErrConfig)
	case cfg.Status.Registry == nil && (cfg.Status.Bitstring != "" || cfg.Status.RevocationList != ""):
		return nil, fmt.Errorf("%w: Status lists need Status.Registry", ErrConfig)
	case cfg.Status.Bitstring != "" && cfg.Status.RevocationList != "":
		return nil, fmt.Errorf("%w: set Status.Bitstring or Status.RevocationList, not both: an Open Badges 3.0 credential has one credentialStatus (the JSON Schema allows no array), so every issuance would fail its own check", ErrConfig)
	}
	// The issuer keeps its own copies of the profile and the
	// achievements, with their default types filled in once here: building
	// a credential fills in missing types, and must not write to what
	// concurrent issuances share (or to the caller's values).
	profile, err := copyJSON(cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: Issuer: %w", ErrConfig, err)
	}
	cfg.Issuer = profile
	cfg.Achievements = slices.Clone(cfg.Achievements)
	for k := range cfg.Achievements {
		a := &cfg.Achievements[k]
		if a.Achievement == nil || a.ID == "" {
			return nil, fmt.Errorf("%w: achievement %d has no id", ErrConfig, k)
		}
		if a.Achievement, err = copyJSON(a.Achievement); err != nil {
			return nil, fmt.Errorf("%w: achievement %s: %w", ErrConfig, a.ID, err)
		}
		filled := credential.AchievementCredential{CredentialSubject: credential.AchievementSubject{Achievement: a.Achievement}}
		filled.Issuer = cfg.Issuer
		filled.FillDefaults()
	}
	i := &Issuer{cfg: cfg, achievements: map[string]*Achievement{}, records: cfg.Records, review: cfg.Review, log: cfg.Logger, locks: map[string]*keyLock{}}
	for k := range cfg.Achievements {
		a := &cfg.Achievements[k]
		if _, dup := i.achievements[a.ID]; dup {
			return nil, fmt.Errorf("%w: achievement %s is configured twice", ErrConfig, a.ID)
		}
		i.achievements[a.ID] = a
	}
	if i.records == nil {
		i.records = &MemoryRecords{}
	}
	if i.review == nil {
		i.review = &MemoryQueue{}
	}
	if i.log == nil {
		i.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := i.setupPathways(); err != nil {
		return nil, err
	}
	var trust verify.Trust
	if cfg.Check != nil {
		trust = *cfg.Check
	}
	trust.Keys = cfg.Keys
	// Contexts and schemas are prepared once, not per credential.
	if trust.Loader == nil {
		if trust.Loader, err = schema.NewLoader(schema.LoaderOptions{Extra: trust.Contexts}); err != nil {
			return nil, fmt.Errorf("%w: Check: %w", ErrConfig, err)
		}
	}
	if trust.Schemas == nil {
		if trust.Schemas, err = schema.NewValidator(schema.ValidatorOptions{}); err != nil {
			return nil, fmt.Errorf("%w: Check: %w", ErrConfig, err)
		}
	}
	if i.checker, err = verify.New(trust); err != nil {
		return nil, fmt.Errorf("%w: Check: %w", ErrConfig, err)
	}
	return i, nil
}

func (i *Issuer) now() time.Time {
	if i.cfg.Now != nil {
		return i.cfg.Now()
	}
	return time.Now()
}

// atRest is what a Record keeps of a learner: the id they control, which
// the credential names anyway, and neither their email address nor their
// name. Revocation and reissue go by award key (a hash), and the email
// address is in the credential only salted and hashed (unless Plain), so
// a copied records store gives away no address.
func atRest(l Learner) Learner { return Learner{ID: l.ID} }

// AwardKey identifies the award of an achievement to a learner: the same
// learner (by id, else by email address, case-insensitively) and
// achievement always give the same key, and the key reveals neither.
func AwardKey(issuerID, achievementID string, l Learner) string {
	who := l.ID
	if who == "" {
		who = "mailto:" + strings.ToLower(strings.TrimSpace(l.Email))
	}
	sum := sha256.Sum256([]byte(issuerID + "\x00" + achievementID + "\x00" + who))
	return hex.EncodeToString(sum[:16])
}

// lock serializes work on one award key within the process.
func (i *Issuer) lock(key string) func() {
	i.mu.Lock()
	l := i.locks[key]
	if l == nil {
		l = &keyLock{}
		i.locks[key] = l
	}
	l.refs++
	i.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		i.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(i.locks, key)
		}
		i.mu.Unlock()
	}
}

// Issued is what Issue did with a submission.
type Issued struct {
	// AwardKey identifies the learner and achievement.
	AwardKey string
	// AchievementID is the achievement's id, in what Issue, Approve and
	// Reinstate return and in Pathways.
	AchievementID string
	// Decision is the evaluator's (for an existing credential, empty).
	Decision Decision
	// State is the record's state: issued, denied or in review; for an
	// award a person decided before, rejected, revoked or suspended.
	State State
	// ReviewID is the review item, when the submission went to review.
	ReviewID string
	// Existing is true when the credential was issued before and is
	// returned again (Issue is idempotent).
	Existing bool
	// Credential is the credential as JSON with its Data Integrity proof
	// (empty for FormatJWT), JWT its VC-JWT (empty for
	// FormatDataIntegrity).
	Credential []byte
	JWT        string
	// Report is the verification of the credential before it was handed
	// out (nil for an existing one).
	Report *verify.Report
	// Certificate holds the certificate forms (HTML, SVG, PDF) of an
	// issued credential, when Config.Certificates has a Renderer; nil
	// otherwise.
	Certificate *render.Rendered
	// Pathways are the awards of the pathways this award completed (see
	// Pathway), each as Issue returned it, with the pathways it completed
	// in turn.
	Pathways []*Issued
}

// Certificates says which certificate forms each issued credential gets:
// the page a learner shares (package render), the PDF they print
// (package render/pdf).
type Certificates struct {
	// Renderer lays them out in the issuer's design. Nil: no certificates.
	Renderer *render.Renderer
	// Forms are the forms made: render.FormHTML, FormSVG, FormPDF. Zero
	// means HTML only: a page takes about as long as signing, a PDF some
	// twenty times longer (its fonts are read again for each document),
	// so batches ask for PDFs explicitly.
	Forms render.Form
	// PDF writes the PDF form; nil means A4 with the embedded and
	// installed fonts.
	PDF *pdf.Writer
	// Lang is the certificates' language. Empty: the credential's, else
	// the Renderer's.
	Lang string
	// ShowName shows the learner's Name on the certificate. The name
	// still never goes into the credential, so no signature covers it.
	ShowName bool
}

// certify adds the certificate forms to what Issue, Approve and Reissue
// return for an issued credential, when the issuer makes certificates.
// When they cannot be made, the credential stands (issued and recorded;
// asking again returns it) and the error wraps ErrCertificate.
func (i *Issuer) certify(ctx context.Context, out *Issued, err error, s *Submission) (*Issued, error) {
	c := i.cfg.Certificates
	if err != nil || out == nil || out.State != StateIssued || c.Renderer == nil {
		return out, err
	}
	forms := c.Forms
	if forms == 0 {
		forms = render.FormHTML
	}
	opts := &render.Options{Lang: c.Lang}
	if c.ShowName {
		opts.Learner = s.Learner.Name
	}
	doc := out.Credential // the JSON credential when there is one
	if len(doc) == 0 {
		doc = []byte(out.JWT)
	}
	cert, err := c.Renderer.Render(ctx, doc, forms, opts)
	if err == nil && forms&render.FormPDF != 0 {
		cert.PDF, err = c.PDF.Write(cert.Certificate)
	}
	if err != nil {
		i.log.WarnContext(ctx, "certificate not made", "award_key", out.AwardKey, "error", err.Error())
		return out, fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	out.Certificate = cert
	return out, nil
}

// Bake returns img (a PNG or SVG) with the credential baked in: the JWT
// when there is one, the JSON credential otherwise.
func (is *Issued) Bake(img []byte) ([]byte, error) {
	switch {
	case is.JWT != "":
		return bake.Bake(img, []byte(is.JWT), nil)
	case len(is.Credential) > 0:
		return bake.Bake(img, is.Credential, nil)
	}
	return nil, ErrNotIssued
}

// Issue decides a submission and, when it is awarded, issues the
// credential: built from the achievement, the learner (an email address
// salted and hashed unless Learner.Plain), the evidence and the results
// the evaluator measured; given a status entry; checked against the OB 3.0
// and W3C VC Data Model rules (a credential that breaks one, through an
// endorsement of the achievement say, is not signed: the error wraps a
// *credential.ValidationError); signed; and verified before it is
// returned. A submission the evaluator sends to review is
// queued (Approve issues it later); a denial is recorded with its reasons.
// The package documentation draws the lifecycle: a revoked award is not
// issued again (Issue returns StateRevoked and no credential), an award a
// reviewer rejected goes back to review rather than to issuance, and a
// denied one is awarded once the criteria are met.
//
// Issue is idempotent: for an award key that already has a credential it
// returns that credential (Existing), never a second one, also when called
// concurrently, and also from several processes sharing the Records (see
// RecordSwapper): of two that decide the same award key at once, the first
// to store its record wins, and the other returns that record as it stands
// (its own credential, signed but never handed out, is dropped; its status
// entry stays allocated and unused). The error is for what stopped the
// decision or the issuance, not for a denial.
//
// An award also completes the pathways its achievement is part of (see
// Pathway): their awards are in Issued.Pathways.
func (i *Issuer) Issue(ctx context.Context, s *Submission) (out *Issued, err error) {
	defer func() { out, err = i.afterAward(ctx, s, out, err) }()
	defer func() { out, err = i.certify(ctx, out, err, s) }()
	a, key, err := i.prepare(s)
	if err != nil {
		return nil, err
	}
	unlock := i.lock(key)
	defer unlock()
	var from State // the state of the record a decision replaces; "" for none
	var prev *Record
	if rec, err := i.records.Get(ctx, key); err == nil {
		prev = rec
		switch rec.State {
		case StateIssued, StateInReview:
			return i.standing(ctx, a, rec), nil
		case StateRevoked, StateSuspended:
			// A revoked or suspended award is not issued again by a
			// submission: the revocation or suspension was someone's
			// decision, and Issue cannot know it no longer holds.
			i.log.InfoContext(ctx, "award "+string(rec.State)+"; not issued again", "award_key", key, "achievement", a.ID)
			return &Issued{AwardKey: key, State: rec.State}, nil
		}
		from = rec.State
	} else if !errors.Is(err, ErrRecordNotFound) {
		return nil, err
	}
	d, err := a.Evaluator.Evaluate(ctx, s, a.Achievement)
	if err != nil {
		i.log.WarnContext(ctx, "evaluation failed", "award_key", key, "achievement", a.ID, "error", err.Error())
		return nil, fmt.Errorf("issuer: evaluating: %w", err)
	}
	if from == StateRejected && d.Verdict == Award {
		// A person rejected this award: the criteria alone do not
		// overrule them. New evidence goes back to a person.
		d.Verdict = Review
		d.Reasons = append(d.Reasons, "a reviewer rejected this award before, so a person decides again")
	}
	i.log.InfoContext(ctx, "decision", "award_key", key, "achievement", a.ID, "verdict", d.Verdict.String(), "reasons", len(d.Reasons))
	rec := i.newRecord(key, a.ID, s, prev)
	rec.Reasons = d.Reasons
	switch d.Verdict {
	case Deny:
		rec.State = StateDenied
		if won, err := i.settle(ctx, rec, from, ""); err != nil {
			return nil, err
		} else if won != nil {
			return i.standing(ctx, a, won), nil
		}
		return &Issued{AwardKey: key, Decision: d, State: StateDenied}, nil
	case Review:
		id, err := i.review.Submit(ctx, ReviewItem{Submission: *s, Decision: d, AwardKey: key, Created: i.now()})
		if err != nil {
			return nil, fmt.Errorf("issuer: queueing for review: %w", err)
		}
		rec.State, rec.ReviewID = StateInReview, id
		if won, err := i.settle(ctx, rec, from, ""); err != nil {
			return nil, err
		} else if won != nil {
			return i.standing(ctx, a, won), nil
		}
		i.log.InfoContext(ctx, "sent to review", "award_key", key, "achievement", a.ID, "review", id)
		return &Issued{AwardKey: key, Decision: d, State: StateInReview, ReviewID: id}, nil
	}
	out, err = i.issue(ctx, a, s, d, rec, nil, from, "")
	if err != nil {
		return nil, err
	}
	if !out.Existing {
		out.Decision = d
	}
	return out, nil
}

// standing returns what Issue returns for an award key whose record
// stands: the credential issued before (Existing), or the review it waits
// for.
func (i *Issuer) standing(ctx context.Context, a *Achievement, rec *Record) *Issued {
	switch rec.State {
	case StateInReview:
		return &Issued{AwardKey: rec.AwardKey, State: rec.State, ReviewID: rec.ReviewID}
	case StateSuspended:
		return &Issued{AwardKey: rec.AwardKey, State: rec.State}
	}
	i.log.InfoContext(ctx, "award already issued", "award_key", rec.AwardKey, "achievement", a.ID, "credential", rec.CredentialID)
	return &Issued{AwardKey: rec.AwardKey, State: rec.State, Existing: true, Credential: rec.Credential, JWT: rec.JWT}
}

// newRecord returns the record of a new decision about key, for
// achievement and the submission s, carrying over what the award key's
// record prev (nil for none) knew: when the first submission came, and the
// history of its states.
func (i *Issuer) newRecord(key, achievement string, s *Submission, prev *Record) *Record {
	rec := &Record{AwardKey: key, AchievementID: achievement, Learner: atRest(s.Learner), Updated: i.now()}
	if prev != nil {
		rec.Submitted, rec.History = prev.Submitted, slices.Clone(prev.History)
	}
	if rec.Submitted.IsZero() {
		rec.Submitted = s.SubmittedAt
		if rec.Submitted.IsZero() || rec.Submitted.After(rec.Updated) {
			rec.Submitted = rec.Updated
		}
	}
	return rec
}

// save stores rec in place of the award key's record, which was in state
// from ("" for none): with Create for a first record, so that of two
// processes deciding the same award key at once only one succeeds; with
// Swap, when the Records has it, in place of an existing one. The record's
// History gains the change of state, if there is one.
// by names the person who decided it (see Event.By).
func (i *Issuer) save(ctx context.Context, rec *Record, from State, by string) error {
	rec.enter(from, by)
	if from == "" {
		return i.records.Create(ctx, rec)
	}
	if sw, ok := i.records.(RecordSwapper); ok {
		return sw.Swap(ctx, rec, from)
	}
	return i.records.Put(ctx, rec)
}

// maxSettleAttempts bounds how often settle tries again when other
// processes keep changing a record.
const maxSettleAttempts = 8

// settle stores rec as the outcome of a decision about its award key,
// whose record was in state from. If another process stored a record for
// the key meanwhile and that record stands (a credential, or a review
// under way), settle stores nothing and returns that record; a record rec
// may replace (a denial, a rejection, a revocation) it replaces.
func (i *Issuer) settle(ctx context.Context, rec *Record, from State, by string) (won *Record, err error) {
	for range maxSettleAttempts {
		err := i.save(ctx, rec, from, by)
		if err == nil || (!errors.Is(err, ErrRecordExists) && !errors.Is(err, ErrRecordChanged)) {
			return nil, err
		}
		cur, err := i.records.Get(ctx, rec.AwardKey)
		switch {
		case errors.Is(err, ErrRecordNotFound):
			from = ""
		case err != nil:
			return nil, err
		case cur.State == StateIssued || cur.State == StateInReview || cur.State == StateSuspended:
			return cur, nil
		default:
			from = cur.State
		}
	}
	return nil, fmt.Errorf("%w: %s kept changing while it was being stored", ErrRecordChanged, rec.AwardKey)
}

// prepare finds the submission's achievement and award key.
func (i *Issuer) prepare(s *Submission) (*Achievement, string, error) {
	if s == nil {
		return nil, "", errors.New("issuer: nil submission")
	}
	a, ok := i.achievements[s.AchievementID]
	if !ok {
		return nil, "", fmt.Errorf("%w: %q", ErrUnknownAchievement, s.AchievementID)
	}
	if a.Evaluator == nil {
		return nil, "", fmt.Errorf("%w: %s", ErrNoEvaluator, a.ID)
	}
	if s.Learner.ID == "" && s.Learner.Email == "" {
		return nil, "", ErrNoRecipient
	}
	return a, AwardKey(i.cfg.Issuer.ID, a.ID, s.Learner), nil
}

// issue builds, signs, checks and records a credential for an awarded
// submission. prev, for a reissue, is the record of the earlier one; from
// is the state of the record the new one replaces ("" for none). If
// another process settled the award key first, issue returns what stands
// instead (see settle).
func (i *Issuer) issue(ctx context.Context, a *Achievement, s *Submission, d Decision, rec *Record, prev *Record, from State, by string) (*Issued, error) {
	now := i.now().UTC().Truncate(time.Second)
	// The decision's results and alignments are copied: building the
	// credential fills in their types, and an evaluator may hand the same
	// values to concurrent issuances.
	results, err := copyJSON(&d.Results)
	if err != nil {
		return nil, fmt.Errorf("issuer: the decision's results: %w", err)
	}
	alignments, err := copyJSON(&d.Alignments)
	if err != nil {
		return nil, fmt.Errorf("issuer: the decision's alignments: %w", err)
	}
	d.Results, d.Alignments = *results, *alignments
	award := credential.Award{
		Issuer:      i.cfg.Issuer,
		Achievement: a.Achievement,
		RecipientID: s.Learner.ID,
		Results:     d.Results,
		ValidFrom:   now,
		AwardedDate: now,
	}
	if s.Learner.Email != "" {
		if s.Learner.Plain {
			award.Identifier = []credential.IdentityObject{credential.NewPlainIdentity(credential.IdentifierTypeEmailAddress, s.Learner.Email)}
		} else {
			award.Identifier = []credential.IdentityObject{credential.NewHashedIdentity(credential.IdentifierTypeEmailAddress, strings.ToLower(strings.TrimSpace(s.Learner.Email)))}
		}
	}
	if len(d.Alignments) > 0 {
		award.Results = append(award.Results, credential.Result{Status: credential.ResultStatusCompleted, Alignment: d.Alignments})
	}
	for _, e := range s.Evidence {
		award.Evidence = append(award.Evidence, credential.Evidence{ID: e.URL, Name: e.Name, Description: e.Description, Narrative: e.Text, Genre: e.Kind})
	}
	validity := i.cfg.Validity
	if a.Validity != 0 {
		validity = a.Validity
	}
	if validity > 0 {
		award.ValidUntil = now.Add(validity)
	}
	if prev != nil {
		award.ID = prev.CredentialID
		award.AwardedDate = prev.AwardedAt
	}
	c, err := credential.NewAchievementCredential(award)
	if err != nil {
		return nil, fmt.Errorf("issuer: building the credential: %w", err)
	}
	for _, e := range a.Endorsements {
		parsed, err := credential.ParseEndorsementCredential(e, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: an endorsement of %s: %w", ErrConfig, a.ID, err)
		}
		c.Endorsement = append(c.Endorsement, *parsed)
	}
	var entries []status.Entry
	if prev != nil {
		entries = prev.Status
	} else {
		if entries, err = i.allocate(ctx); err != nil {
			return nil, err
		}
	}
	for _, e := range entries {
		c.CredentialStatus = append(c.CredentialStatus, credential.CredentialStatus{ID: e.ID, Type: credential.TypeName(e.Type), Extra: e.Extra()})
	}
	doc, err := credential.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("issuer: encoding the credential: %w", err)
	}
	if err := checkBeforeSigning(doc); err != nil {
		i.log.ErrorContext(ctx, "the credential breaks the data model; not signed", "award_key", rec.AwardKey, "achievement", a.ID, "error", err.Error())
		return nil, fmt.Errorf("issuer: the credential for %s: %w", a.ID, err)
	}
	signed, jwt, err := i.sign(ctx, doc)
	if err != nil {
		return nil, err
	}
	rep, err := i.check(ctx, signed, jwt, now)
	if err != nil {
		i.log.ErrorContext(ctx, "self-check failed", "award_key", rec.AwardKey, "achievement", a.ID, "error", err.Error())
		return nil, err
	}
	rec.State, rec.CredentialID, rec.Credential, rec.JWT, rec.Status = StateIssued, c.ID, signed, jwt, entries
	// IssuedAt is the credential's validFrom, to the second; Updated (and
	// the History event it dates) is when the record changed, exactly, so
	// that changes within one second keep their order.
	rec.IssuedAt, rec.Updated = now, i.now().UTC()
	rec.AwardedAt = now
	if prev != nil {
		rec.AwardedAt = prev.AwardedAt
	}
	if won, err := i.settle(ctx, rec, from, by); err != nil {
		return nil, err
	} else if won != nil {
		i.log.InfoContext(ctx, "decided elsewhere first; the new credential is dropped", "award_key", rec.AwardKey, "achievement", a.ID, "credential", c.ID)
		return i.standing(ctx, a, won), nil
	}
	i.log.InfoContext(ctx, "issued", "award_key", rec.AwardKey, "achievement", a.ID, "credential", c.ID, "reissue", prev != nil)
	return &Issued{AwardKey: rec.AwardKey, State: StateIssued, Credential: signed, JWT: jwt, Report: rep}, nil
}

// checkBeforeSigning checks a credential about to be signed as a verifier
// will (credential.Check: the OB 3.0 rules and schema, and the W3C VC Data
// Model's rules, endorsements included), so that nothing that breaks them
// is signed. It returns a *credential.ValidationError listing the errors.
func checkBeforeSigning(doc []byte) error {
	res, err := credential.Check(doc, nil)
	if err != nil {
		return err
	}
	var errs []credential.Problem
	for _, p := range res.Problems {
		if p.Severity == credential.SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return &credential.ValidationError{Problems: errs}
	}
	return nil
}

// allocate gets the credential's status entries.
func (i *Issuer) allocate(ctx context.Context) ([]status.Entry, error) {
	var entries []status.Entry
	for _, url := range []string{i.cfg.Status.Bitstring, i.cfg.Status.RevocationList} {
		if url == "" {
			continue
		}
		e, err := i.cfg.Status.Registry.Allocate(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("issuer: allocating a status entry in %s: %w", url, err)
		}
		entries = append(entries, *e)
	}
	return entries, nil
}

// signingKey returns the key to sign with.
func (i *Issuer) signingKey(ctx context.Context) (*keys.Key, error) {
	var k *keys.Key
	var err error
	if i.cfg.KeyID != "" {
		k, err = i.cfg.Keys.Key(ctx, i.cfg.KeyID)
	} else {
		k, err = i.cfg.Keys.ActiveKey(ctx, i.cfg.Issuer.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("issuer: the signing key: %w", err)
	}
	if k.Signer == nil {
		return nil, fmt.Errorf("issuer: the signing key %s is retired", k.ID)
	}
	// The self-check takes the store's word that a key is its controller's
	// (BindingLocal). A verifier confirms it only in the issuer's own
	// document, which lists the issuer's methods as its id, "#" and a
	// fragment (keys.DIDDocument, keys.MultikeyDocument, the one method of
	// a did:key or did:jwk): a key named otherwise would sign credentials
	// that pass the self-check and that nothing else confirms.
	if frag, ok := strings.CutPrefix(k.ID, i.cfg.Issuer.ID+"#"); !ok || frag == "" || k.Controller != i.cfg.Issuer.ID {
		return nil, fmt.Errorf("%w: the signing key %s (of %s) is not a verification method of the issuer %s (want %s#…), so no verifier would confirm it", ErrSelfCheck, k.ID, k.Controller, i.cfg.Issuer.ID, i.cfg.Issuer.ID)
	}
	return k, nil
}

// signers are the proof signers of one key. They are kept: a Signer
// prepares its contexts once and then reuses them.
type signers struct {
	di  *dataintegrity.Signer
	jwt *jose.Signer
}

// signersFor returns the signers of k, made on its first use (a rotated
// key gets new ones).
func (i *Issuer) signersFor(k *keys.Key) *signers {
	i.mu.Lock()
	defer i.mu.Unlock()
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if sg := i.signers[k.ID]; sg != nil {
		if e, ok := sg.di.Key.Public().(equaler); ok && e.Equal(k.Signer.Public()) {
			return sg
		}
	}
	sg := &signers{
		di:  &dataintegrity.Signer{Key: k.Signer, VerificationMethod: k.ID},
		jwt: &jose.Signer{Key: k.Signer, KeyID: k.ID},
	}
	if i.signers == nil {
		i.signers = map[string]*signers{}
	}
	i.signers[k.ID] = sg
	return sg
}

// sign adds the configured proofs (see signAs).
func (i *Issuer) sign(ctx context.Context, doc []byte) ([]byte, string, error) {
	return i.signAs(ctx, doc, i.cfg.Formats)
}

// check verifies what was signed, as a verifier would, at the issuance
// time. A credential that does not verify is never handed out. Its status
// entry was just allocated, and the list may not be published yet: an
// undecided status is accepted here (a revoked one is not).
func (i *Issuer) check(ctx context.Context, signed []byte, jwt string, now time.Time) (*verify.Report, error) {
	p := &verify.Policy{AllowUnknownStatus: true}
	if i.cfg.Now != nil {
		p.Now = now // a clock of the caller's: verify as of the issuance
	}
	var err error
	var rep *verify.Report
	for _, in := range [][]byte{signed, []byte(jwt)} {
		if len(in) == 0 {
			continue
		}
		rep, err = i.checker.Verify(ctx, in, p)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSelfCheck, err)
		}
		if !rep.Verified {
			var why []string
			for _, c := range rep.Checks {
				if c.Outcome == verify.Failed || c.Outcome == verify.Indeterminate {
					why = append(why, c.ID+": "+c.Message)
				}
			}
			return rep, fmt.Errorf("%w: %s", ErrSelfCheck, strings.Join(why, "; "))
		}
	}
	return rep, nil
}

// Records returns the issuer's record store, to answer "who earned what".
func (i *Issuer) Records() Records { return i.records }

// AwardKey returns the award key of achievementID for learner l at this
// issuer (see the function AwardKey): the key Revoke and Records take.
func (i *Issuer) AwardKey(achievementID string, l Learner) string {
	return AwardKey(i.cfg.Issuer.ID, achievementID, l)
}

// ReviewQueue returns the issuer's review queue.
func (i *Issuer) ReviewQueue() ReviewQueue { return i.review }

// copyJSON returns a deep copy of v, through its JSON encoding.
func copyJSON[T any](v *T) (*T, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var c T
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

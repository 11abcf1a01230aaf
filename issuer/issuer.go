package issuer

import (
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

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
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

package issuer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
)

// Endorsement is what an endorser (a teacher, an employer, an accreditor)
// says about an achievement, an issuer profile or a learner's credential.
type Endorsement struct {
	// Endorser is who endorses; its ID must control Key.
	Endorser *credential.Profile
	// Key signs the endorsement (Key.ID is the verification method).
	Key *keys.Key
	// SubjectID is the id of what is endorsed: an achievement, a profile or
	// a credential.
	SubjectID string
	// Name names the endorsement; Comment is what the endorser says.
	Name, Comment string
	// ValidFrom is when it takes effect. If zero, now.
	ValidFrom time.Time
	// ValidUntil, if not zero, is when it ends.
	ValidUntil time.Time
}

// Endorse builds and signs (Data Integrity) an EndorsementCredential, and
// returns it as JSON: to publish, to embed in credentials for the
// achievement (Achievement.Endorsements), or both. An endorsement that
// would break the OB 3.0 or W3C VC Data Model rules (a ValidUntil before
// ValidFrom, say) is not signed: the error wraps a
// *credential.ValidationError.
func Endorse(ctx context.Context, e *Endorsement) ([]byte, error) {
	if e == nil || e.Endorser == nil || e.Key == nil || e.Key.Signer == nil {
		return nil, errors.New("issuer: an endorsement needs an Endorser and a signing Key")
	}
	c, err := credential.NewEndorsementCredential(e.Endorser, e.SubjectID, e.Name, e.Comment)
	if err != nil {
		return nil, fmt.Errorf("issuer: endorsement: %w", err)
	}
	from := e.ValidFrom
	if from.IsZero() {
		from = time.Now()
	}
	c.ValidFrom = credential.DateTime(from.UTC().Truncate(time.Second).Format(time.RFC3339))
	if !e.ValidUntil.IsZero() {
		c.ValidUntil = credential.DateTime(e.ValidUntil.UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	doc, err := credential.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("issuer: endorsement: %w", err)
	}
	if err := checkBeforeSigning(doc); err != nil {
		return nil, fmt.Errorf("issuer: endorsement: %w", err)
	}
	out, err := (&dataintegrity.Signer{Key: e.Key.Signer, VerificationMethod: e.Key.ID}).Sign(ctx, doc, &dataintegrity.ProofOptions{Created: from})
	if err != nil {
		return nil, fmt.Errorf("issuer: signing the endorsement: %w", err)
	}
	return out, nil
}

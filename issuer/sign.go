package issuer

import (
	"context"
	"crypto"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/keys"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/verify"
)

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

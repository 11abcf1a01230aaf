package status

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// DefaultValidity is how long a published list is valid when
// PublishOptions.Validity is zero: a day. Verifiers may cache a list until
// its validUntil and must not use it after, so publish again well before
// (an hourly job, say) and after every revocation.
const DefaultValidity = 24 * time.Hour

// contextVCDM20 is the VCDM 2.0 context, which defines every term of a
// list credential.
const contextVCDM20 = "https://www.w3.org/ns/credentials/v2"

// A Signer secures an unsigned list credential: it returns the signed
// credential as it is to be served, a JSON document with an embedded proof
// or a compact JWS. Package statussign makes one of a Data Integrity or a
// JOSE signer.
type Signer interface {
	SignCredential(ctx context.Context, unsigned []byte) ([]byte, error)
}

// SignerFunc adapts a function to a Signer.
type SignerFunc func(ctx context.Context, unsigned []byte) ([]byte, error)

// SignCredential calls f(ctx, unsigned).
func (f SignerFunc) SignCredential(ctx context.Context, unsigned []byte) ([]byte, error) {
	return f(ctx, unsigned)
}

// PublishOptions say how Publish writes a list.
type PublishOptions struct {
	// Issuer is the list's issuer: the id of the issuer profile, a DID or
	// URL. It is required. Verifiers check, unless told otherwise, that it
	// is the issuer of the credentials the list speaks for, so use the
	// credentials' issuer id.
	Issuer string
	// Signer secures a bitstring list credential. It is required for a
	// bitstring list and unused for a 1EdTech list, which is plain JSON.
	Signer Signer
	// ValidFrom is the list credential's validFrom, written in UTC to the
	// second. If zero, the Registry's current time.
	ValidFrom time.Time
	// Validity is how long after ValidFrom the list is valid: its
	// validUntil, which tells verifiers how long they may cache it. If
	// zero, DefaultValidity.
	Validity time.Duration
}

// Publish returns the list at listURL as it is to be served at listURL:
//
//   - for a bitstring list, a BitstringStatusListCredential with the
//     list's bits in credentialSubject.encodedList, validFrom and
//     validUntil, signed by opts.Signer: what the W3C Recommendation calls
//     the Generate Algorithm. A Message list's bits are its entries' values,
//     statusSize bits each, the first the most significant; its statusSize
//     and messages are in the credentials' entries, not in the list (the
//     Recommendation's §2.2 still names a credentialSubject.statusSize and
//     statusMessages, which no context defines; its entries carry them);
//   - for a 1EdTech list, the JSON document of the 1EdTech Revocation List
//     Status Method: {"id", "issuer", "revokedCredential": [{"id",
//     "revoked": true, "revocationReason"}]}.
//
// Publishing changes nothing in the Store. Serve the result at listURL (with
// a Content-Type of application/vc, application/vc+jwt or
// application/json), again after every change and before validUntil passes.
func (r *Registry) Publish(ctx context.Context, listURL string, opts *PublishOptions) ([]byte, error) {
	if opts == nil || opts.Issuer == "" {
		return nil, errors.New("status: Publish needs the list's issuer")
	}
	if !strings.Contains(opts.Issuer, ":") || len(opts.Issuer) > maxURLLen {
		return nil, fmt.Errorf("%w: the issuer %q is not an absolute URL or a DID", ErrMalformed, truncate(opts.Issuer, 80))
	}
	l, err := r.Store.Load(ctx, listURL)
	if err != nil {
		return nil, err
	}
	if l.Method == Method1EdTech {
		return publish1EdTech(l, opts.Issuer)
	}
	if opts.Signer == nil {
		return nil, errors.New("status: Publish needs a Signer for a bitstring list")
	}
	from := opts.ValidFrom
	if from.IsZero() {
		from = r.now()
	}
	from = from.UTC().Truncate(time.Second)
	validity := opts.Validity
	if validity == 0 {
		validity = DefaultValidity
	}
	if validity < time.Second {
		return nil, fmt.Errorf("status: a list's validity must be at least a second, not %v", validity)
	}
	unsigned, err := jsonobj.Marshal(listCredential{
		Context:    []string{contextVCDM20}, // it defines every term the list uses
		ID:         l.URL,
		Type:       []string{"VerifiableCredential", listCredentialType},
		Issuer:     opts.Issuer,
		ValidFrom:  from.Format(time.RFC3339),
		ValidUntil: from.Add(validity).UTC().Truncate(time.Second).Format(time.RFC3339),
		CredentialSubject: listSubject{
			ID:            l.URL + "#list",
			Type:          listSubjectType,
			StatusPurpose: l.Purpose,
			EncodedList:   l.Status.Encode(),
		},
	})
	if err != nil {
		return nil, err
	}
	signed, err := opts.Signer.SignCredential(ctx, unsigned)
	if err != nil {
		return nil, fmt.Errorf("status: signing the list credential: %w", err)
	}
	return signed, nil
}

// listCredential is an unsigned BitstringStatusListCredential, its members
// in the W3C examples' order.
type listCredential struct {
	Context           []string    `json:"@context"`
	ID                string      `json:"id"`
	Type              []string    `json:"type"`
	Issuer            string      `json:"issuer"`
	ValidFrom         string      `json:"validFrom"`
	ValidUntil        string      `json:"validUntil"`
	CredentialSubject listSubject `json:"credentialSubject"`
}

type listSubject struct {
	ID            string  `json:"id"`
	Type          string  `json:"type"`
	StatusPurpose Purpose `json:"statusPurpose"`
	EncodedList   string  `json:"encodedList"`
}

// revocationList1EdTech is the document of the 1EdTech Revocation List
// Status Method.
type revocationList1EdTech struct {
	ID                string               `json:"id"`
	Issuer            string               `json:"issuer"`
	RevokedCredential []revokedCredential1 `json:"revokedCredential"`
}

type revokedCredential1 struct {
	ID               string `json:"id"`
	Revoked          bool   `json:"revoked"`
	RevocationReason string `json:"revocationReason,omitempty"`
}

func publish1EdTech(l *List, issuer string) ([]byte, error) {
	doc := revocationList1EdTech{ID: l.URL, Issuer: issuer, RevokedCredential: []revokedCredential1{}}
	for _, r := range l.Revoked {
		doc.RevokedCredential = append(doc.RevokedCredential, revokedCredential1{ID: r.ID, Revoked: true, RevocationReason: r.Reason})
	}
	return jsonobj.Marshal(doc)
}

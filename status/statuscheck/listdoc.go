package statuscheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
)

// Type names of the W3C Bitstring Status List's documents, and how deeply
// a list document may nest.
const (
	entryTypeBitstring = "BitstringStatusListEntry"
	listCredentialType = "BitstringStatusListCredential"
	listSubjectType    = "BitstringStatusList"
	maxDepth           = 64
)

// verifyBitstringList verifies a BitstringStatusListCredential, JSON with
// Data Integrity proofs or a compact JWS, and reads its list.
func (c *Checker) verifyBitstringList(ctx context.Context, cc *call, vl *verifiedList, data []byte, maxBytes int) error {
	doc := bytes.TrimSpace(data)
	info := &vl.info
	if len(doc) > 0 && doc[0] == '{' {
		v := &dataintegrity.Verifier{Resolver: cc.resolver, Loader: c.loader, Now: cc.now, Limits: dataintegrity.Limits{MaxBytes: maxBytes}}
		res, err := v.Verify(ctx, doc)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", status.ErrVerification, info.URL, err)
		}
		if len(res.Proofs) > 0 {
			p := res.Proofs[0]
			info.Format = "Data Integrity " + p.Proof.Suite()
			info.VerificationMethod = p.Proof.VerificationMethod
			if p.Method != nil {
				info.Binding = p.Method.Binding
			}
		}
		if !res.Verified {
			return fmt.Errorf("%w: %s: %w", status.ErrVerification, info.URL, res.Err())
		}
	} else {
		v := &jose.Verifier{Resolver: cc.resolver, MaxBytes: maxBytes}
		res, err := v.Verify(ctx, doc)
		if err != nil {
			return fmt.Errorf("%w: %s: neither a JSON credential nor a JWS that verifies: %w", status.ErrVerification, info.URL, err)
		}
		info.Format = strings.TrimSpace(res.Format.String() + " " + res.Header.Algorithm)
		info.VerificationMethod = res.Header.KeyID
		if res.Method != nil {
			info.Binding = res.Method.Binding
		}
		if !res.Verified {
			return fmt.Errorf("%w: %s: %w", status.ErrVerification, info.URL, res.Err)
		}
		doc = res.Credential
	}
	return c.readBitstringList(vl, doc, maxBytes)
}

// readBitstringList reads a verified BitstringStatusListCredential.
func (c *Checker) readBitstringList(vl *verifiedList, doc []byte, maxBytes int) error {
	info := &vl.info
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{status.ErrVerification, info.URL}, args...)...)
	}
	if err := jsonobj.Scan(doc, maxBytes, maxDepth); err != nil {
		return fail("%w", err)
	}
	var lc struct {
		ID                json.RawMessage  `json:"id"`
		Type              credential.Types `json:"type"`
		Issuer            json.RawMessage  `json:"issuer"`
		ValidFrom         json.RawMessage  `json:"validFrom"`
		ValidUntil        json.RawMessage  `json:"validUntil"`
		IssuanceDate      json.RawMessage  `json:"issuanceDate"`
		ExpirationDate    json.RawMessage  `json:"expirationDate"`
		CredentialSubject json.RawMessage  `json:"credentialSubject"`
	}
	if err := json.Unmarshal(doc, &lc); err != nil {
		return fail("not a credential: %w", err)
	}
	if !lc.Type.Has(listCredentialType) {
		return fail("its type %q does not include %s", []string(lc.Type), listCredentialType)
	}
	_ = json.Unmarshal(lc.ID, &info.ID)
	info.Issuer = jsonobj.RefID(lc.Issuer)
	var err error
	if info.ValidFrom, err = readTime(lc.ValidFrom, lc.IssuanceDate); err != nil {
		return fail("validFrom: %w", err)
	}
	if info.ValidUntil, err = readTime(lc.ValidUntil, lc.ExpirationDate); err != nil {
		return fail("validUntil: %w", err)
	}
	if info.ID != "" && info.ID != info.URL {
		vl.warnings = append(vl.warnings, fmt.Sprintf("the list credential's id %q is not the URL it was retrieved from", info.ID))
	}
	subject := bytes.TrimSpace(lc.CredentialSubject)
	if len(subject) > 0 && subject[0] == '[' {
		var subjects []json.RawMessage
		if err := json.Unmarshal(subject, &subjects); err != nil || len(subjects) != 1 {
			return fail("credentialSubject must be one BitstringStatusList")
		}
		subject = subjects[0]
	}
	var s struct {
		Type          credential.Types `json:"type"`
		StatusPurpose credential.Types `json:"statusPurpose"`
		EncodedList   *string          `json:"encodedList"`
		TTL           *float64         `json:"ttl"`
		StatusSize    *int             `json:"statusSize"`
	}
	if err := json.Unmarshal(subject, &s); err != nil {
		return fail("credentialSubject: %w", err)
	}
	switch {
	case !s.Type.Has(listSubjectType):
		return fail("its credentialSubject's type %q does not include %s", []string(s.Type), listSubjectType)
	case len(s.StatusPurpose) == 0:
		return fail("its credentialSubject has no statusPurpose")
	case s.EncodedList == nil:
		return fail("its credentialSubject has no encodedList")
	case s.StatusSize != nil && (*s.StatusSize < 1 || *s.StatusSize > 1<<20):
		return fail("its credentialSubject's statusSize %d is not a positive integer", *s.StatusSize)
	case s.TTL != nil && (*s.TTL < 0 || *s.TTL > float64(100*365*24*time.Hour/time.Millisecond)):
		return fail("ttl %v is not a number of milliseconds", *s.TTL)
	}
	info.Purposes = s.StatusPurpose
	if s.StatusSize != nil {
		// The W3C Recommendation puts statusSize in the entries; a list
		// that states one too must agree with them (checkBitstring).
		vl.statusSize = *s.StatusSize
	}
	if s.TTL != nil {
		vl.ttl = time.Duration(*s.TTL) * time.Millisecond
	}
	maxList := c.MaxListBytes
	if maxList <= 0 {
		maxList = status.DefaultMaxListBytes
	}
	bits, err := status.ParseBitstring(*s.EncodedList, maxList)
	if err != nil {
		return fmt.Errorf("%s: encodedList: %w", info.URL, err)
	}
	minLength := c.minLength()
	if bits.Len() < minLength {
		return fmt.Errorf("%w: %s has %d entries, fewer than %d", status.ErrListLength, info.URL, bits.Len(), minLength)
	}
	info.Length = bits.Len()
	vl.bits = bits
	return nil
}

// readTime reads a dateTime member, or if it is absent its VCDM 1.1
// counterpart.
func readTime(raw, fallback json.RawMessage) (time.Time, error) {
	if len(raw) == 0 {
		raw = fallback
	}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return time.Time{}, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("%s, not a dateTime string", jsonobj.Describe(raw))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a dateTime with a time zone", truncate(s, 40))
	}
	return t, nil
}

// parse1EdTechList reads a 1EdTech revocation list: {"id", "issuer",
// "revokedCredential": [{"id", "revoked", "revocationReason"}]}, also
// accepting "revokedCredentials", the member name earlier versions of the
// 1EdTech validator read.
func parse1EdTechList(vl *verifiedList, data []byte, maxBytes int) error {
	info := &vl.info
	info.Format = "unsigned JSON"
	info.Purposes = []string{string(status.Revocation)}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: "+format, append([]any{status.ErrVerification, info.URL}, args...)...)
	}
	if err := jsonobj.Scan(data, maxBytes, maxDepth); err != nil {
		return fail("%w", err)
	}
	var doc struct {
		ID                 json.RawMessage   `json:"id"`
		Issuer             json.RawMessage   `json:"issuer"`
		RevokedCredential  []json.RawMessage `json:"revokedCredential"`
		RevokedCredentials []json.RawMessage `json:"revokedCredentials"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return fail("not a 1EdTech revocation list: %w", err)
	}
	_ = json.Unmarshal(doc.ID, &info.ID)
	info.Issuer = jsonobj.RefID(doc.Issuer)
	if info.ID != "" && info.ID != info.URL {
		vl.warnings = append(vl.warnings, fmt.Sprintf("the list's id %q is not the URL it was retrieved from", info.ID))
	}
	items := doc.RevokedCredential
	if doc.RevokedCredential == nil && doc.RevokedCredentials != nil {
		items = doc.RevokedCredentials
		vl.warnings = append(vl.warnings, `the list names its array "revokedCredentials"; the 1EdTech method names it "revokedCredential"`)
	}
	vl.revoked = make(map[string]revokedInfo, len(items))
	for i, raw := range items {
		var item struct {
			ID               *string `json:"id"`
			Revoked          *bool   `json:"revoked"`
			RevocationReason string  `json:"revocationReason"`
		}
		if err := json.Unmarshal(raw, &item); err != nil || item.ID == nil {
			return fail("revokedCredential[%d] is not an object with a string id", i)
		}
		revoked := item.Revoked == nil || *item.Revoked // absent means revoked
		prev := vl.revoked[*item.ID]
		if prev.revoked && !revoked {
			continue
		}
		vl.revoked[*item.ID] = revokedInfo{revoked: revoked, reason: item.RevocationReason}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

package jose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// Claims are the registered claims of the payload, as read.
type Claims struct {
	Issuer    string     // iss
	ID        string     // jti
	Subject   string     // sub
	Audience  []string   // aud
	NotBefore *time.Time // nbf
	Expires   *time.Time // exp
	// IssuedAt is iat when it is a NumericDate. (The W3C VC-JOSE vectors
	// write it as a date-time string, which is tolerated and ignored.)
	IssuedAt *time.Time
}

// readPayload reads the payload, decides its format, and finds the
// credential and its facts (res.facts), for compareClaims.
func readPayload(res *Result) error {
	t := trees.Get()
	defer trees.Put(t)
	t.Intern = payloadStrings
	if err := jsonobj.ParseTree(res.Payload, DefaultMaxBytes, 64, t); err != nil {
		return fmt.Errorf("%w: payload: %w", ErrNotCredential, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the payload is not a JSON object", ErrNotCredential)
	}
	members := object{res.Payload, t}
	claims, err := readClaims(members)
	if err != nil {
		return err
	}
	res.Claims = *claims

	typ := strings.ToLower(strings.TrimPrefix(strings.ToLower(res.Header.Type), "application/"))
	credential, exclude := 0, []string(nil)
	vc, hasVC := members.get("vc")
	switch {
	case typ == "vc+jwt" || typ == "vc+ld+json+jwt":
		res.Format = FormatVCJOSE
		if cty := strings.TrimPrefix(strings.ToLower(res.Header.ContentType), "application/"); cty != "" && cty != "vc" && cty != "vc+ld+json" {
			return fmt.Errorf("%w: cty %q with typ %q: want \"vc\"", ErrHeader, res.Header.ContentType, res.Header.Type)
		}
		if _, hasVP := members.get("vp"); hasVC || hasVP {
			return fmt.Errorf("%w: a vc+jwt payload is the credential itself; it must not have a vc or vp claim", ErrNotCredential)
		}
		res.Credential = res.Payload
	case typ != "" && typ != "jwt":
		return fmt.Errorf("%w: typ %q is not a credential's (JWT or vc+jwt)", ErrHeader, res.Header.Type)
	case hasVC:
		res.Format = FormatVCDM11
		res.Credential = bytes.TrimSpace(vc)
		credential = t.Child(0, "vc")
		res.Warnings = append(res.Warnings, "a VCDM 1.1 JWT (credential in the vc claim): a legacy format")
	default:
		res.Format = FormatVCJWT
		res.Credential = removeMembers(res.Payload, t, claimNames)
		exclude = claimNames
	}
	c, err := credentialFacts(t, credential, exclude)
	if err != nil {
		return err
	}
	res.facts = c
	return nil
}

// payloadStrings are names and values most credentials have, which the
// payload's parse tree uses rather than copies (jsonobj.Tree.Intern).
var payloadStrings = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"iss", "jti", "sub", "aud", "nbf", "exp", "iat", "vc", "vp", "nonce",
		"@context", "id", "type", "issuer", "credentialSubject", "name", "description",
		"validFrom", "validUntil", "issuanceDate", "expirationDate", "credentialSchema",
		"credentialStatus", "refreshService", "termsOfUse", "evidence", "proof", "image",
		"achievement", "criteria", "narrative", "identifier", "identityHash", "identityType",
		"hashed", "salt", "result", "url", "email", "awardedDate", "endorsement",
		"VerifiableCredential", "OpenBadgeCredential", "AchievementCredential",
		"AchievementSubject", "Achievement", "Profile", "Image", "IdentityObject",
		"1EdTechJsonSchemaValidator2019", "1EdTechRevocationList", "BitstringStatusListEntry",
		"https://www.w3.org/ns/credentials/v2",
		"https://www.w3.org/2018/credentials/v1",
		"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
		"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
	} {
		m[s] = s
	}
	return m
}()

// claimNames are the registered claims cut from a VC-JWT payload to give
// the credential.
var claimNames = []string{"iss", "jti", "sub", "aud", "nbf", "exp", "iat"}

// readClaims reads the registered claims with their JSON types checked:
// NumericDates must be numbers (iat may also be the string the W3C vectors
// use), aud a string or an array of strings.
func readClaims(m object) (*Claims, error) {
	c := &Claims{}
	str := func(name string, dst *string) error {
		if !m.str(name, dst) {
			return fmt.Errorf("%w: the %s claim is not a string", ErrClaims, name)
		}
		return nil
	}
	date := func(name string, dst **time.Time, tolerateString bool) error {
		nd := m.node(name)
		if nd == nil {
			return nil
		}
		// A number, or null (which json.Unmarshal takes as "", not a
		// NumericDate).
		if nd.Kind == jsonobj.Number || nd.Kind == jsonobj.Null {
			var n json.Number
			if nd.Kind == jsonobj.Number {
				n = json.Number(nd.Str)
			}
			f, err := n.Float64()
			if err != nil || math.IsInf(f, 0) || f < 0 || f > 1e13 {
				return fmt.Errorf("%w: the %s claim %s is not a NumericDate", ErrClaims, name, n)
			}
			sec, frac := math.Modf(f)
			t := time.Unix(int64(sec), int64(frac*1e9)).UTC()
			*dst = &t
			return nil
		}
		if tolerateString && nd.Kind == jsonobj.String {
			return nil
		}
		return fmt.Errorf("%w: the %s claim is not a NumericDate", ErrClaims, name)
	}
	for _, err := range []error{
		str("iss", &c.Issuer), str("jti", &c.ID), str("sub", &c.Subject),
		date("nbf", &c.NotBefore, false), date("exp", &c.Expires, false), date("iat", &c.IssuedAt, true),
	} {
		if err != nil {
			return nil, err
		}
	}
	if raw, ok := m.get("aud"); ok {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			c.Audience = []string{one}
		} else if json.Unmarshal(raw, &c.Audience) != nil {
			return nil, fmt.Errorf("%w: the aud claim is not a string or an array of strings", ErrClaims)
		}
	}
	return c, nil
}

// compareClaims checks that the claims say what the credential says.
//
// iss must be the issuer's id, always. jti must be the credential's id
// and nbf its validFrom (issuanceDate for VCDM 1.1), to the second, when
// either side has them; a VC-JWT (OB 3.0 §8.2.4) must carry iss and nbf
// (and jti when the credential has an id). exp must be validUntil
// (expirationDate), both or neither. sub, when present, must be the
// subject's id; when it is absent and the subject has an id, that is a
// warning, not a failure: the 1EdTech reference issuer puts the subject in
// aud instead, and its tokens are otherwise sound.
func compareClaims(res *Result, c *facts) error {
	cl := &res.Claims
	strict := res.Format == FormatVCJWT
	if cl.Issuer == "" {
		if strict {
			return fmt.Errorf("%w: no iss claim (it must be the issuer's id, %q)", ErrClaims, c.issuer)
		}
		cl.Issuer = c.issuer
	} else if cl.Issuer != c.issuer {
		return fmt.Errorf("%w: iss %q is not the issuer %q", ErrClaims, cl.Issuer, c.issuer)
	}
	switch {
	case cl.ID != "" && cl.ID != c.id:
		return fmt.Errorf("%w: jti %q is not the credential's id %q", ErrClaims, cl.ID, c.id)
	case cl.ID == "" && c.id != "" && strict:
		return fmt.Errorf("%w: no jti claim (it must be the credential's id, %q)", ErrClaims, c.id)
	}
	switch {
	case cl.Subject != "" && cl.Subject != c.subject:
		return fmt.Errorf("%w: sub %q is not the credentialSubject's id %q", ErrClaims, cl.Subject, c.subject)
	case cl.Subject == "" && c.subject != "" && res.Format != FormatVCJOSE:
		w := "no sub claim; OB 3.0 puts the credentialSubject's id there"
		if slices.Contains(cl.Audience, c.subject) {
			w += " (this token has it in aud, as the 1EdTech reference issuer does)"
		}
		res.Warnings = append(res.Warnings, w)
	}
	from, until := "validFrom", "validUntil"
	if c.version11 {
		from, until = "issuanceDate", "expirationDate"
	}
	switch {
	case cl.NotBefore != nil && c.validFrom != nil && cl.NotBefore.Unix() != c.validFrom.Unix():
		return fmt.Errorf("%w: nbf %s is not %s %s", ErrClaims, cl.NotBefore.Format(time.RFC3339), from, c.validFrom.Format(time.RFC3339Nano))
	case cl.NotBefore == nil && strict && c.validFrom != nil:
		return fmt.Errorf("%w: no nbf claim (it must be %s)", ErrClaims, from)
	case cl.NotBefore != nil && c.validFrom == nil && res.Format != FormatVCDM11:
		return fmt.Errorf("%w: nbf is set but the credential has no %s", ErrClaims, from)
	}
	switch {
	case cl.Expires != nil && c.validUntil != nil && cl.Expires.Unix() != c.validUntil.Unix():
		return fmt.Errorf("%w: exp %s is not %s %s", ErrClaims, cl.Expires.Format(time.RFC3339), until, c.validUntil.Format(time.RFC3339Nano))
	case cl.Expires == nil && c.validUntil != nil && strict:
		return fmt.Errorf("%w: no exp claim, but the credential has %s", ErrClaims, until)
	case cl.Expires != nil && c.validUntil == nil && res.Format != FormatVCDM11:
		return fmt.Errorf("%w: exp is set but the credential has no %s", ErrClaims, until)
	}
	return nil
}

// removeMembers returns data, a JSON object, with its top-level members of
// the given names cut out of the bytes; the rest is kept exactly.
func removeMembers(data []byte, t *jsonobj.Tree, names []string) []byte {
	type span struct{ start, end int }
	var cut []span
	first := true
	open := bytes.IndexByte(data, '{') + 1 // where the first member's cut starts
	prevEnd := open                        // after '{' or the previous value
	for m := 1; m < int(t.Nodes[0].End); m = int(t.Nodes[m].End) {
		nd := &t.Nodes[m]
		before, end := prevEnd, int(nd.Stop)
		prevEnd = end
		if slices.Contains(names, nd.Key) {
			if first {
				// Cut through the comma that follows, if any.
				rest := bytes.TrimLeft(data[end:], " \t\r\n")
				if len(rest) > 0 && rest[0] == ',' {
					end = len(data) - len(rest) + 1
				}
			}
			cut = append(cut, span{before, end})
			continue
		}
		first = false
	}
	out := make([]byte, 0, len(data))
	at := 0
	for _, s := range cut {
		// A cut after a leading cut starts inside it (at the comma it
		// already took).
		out = append(out, data[at:max(at, s.start)]...)
		at = s.end
	}
	return append(out, data[at:]...)
}

// object is the JSON object at the root of t, parsed from data: its
// members' bytes are found by name in the tree, with no map made. (The
// tree refuses duplicate members, so there is one member of a name.)
type object struct {
	data []byte
	t    *jsonobj.Tree
}

// get returns the bytes of the member name, and whether there is one.
func (o object) get(name string) (json.RawMessage, bool) {
	c := o.t.Child(0, name)
	if c < 0 {
		return nil, false
	}
	nd := &o.t.Nodes[c]
	return o.data[nd.Start:nd.Stop:nd.Stop], true
}

// node returns the member name's node, or nil.
func (o object) node(name string) *jsonobj.Node {
	if c := o.t.Child(0, name); c >= 0 {
		return &o.t.Nodes[c]
	}
	return nil
}

// str sets *dst to the member name when it is a string, as json.Unmarshal
// would from its bytes: it leaves *dst alone when the member is absent or
// null, and returns false when it is not a string.
func (o object) str(name string, dst *string) bool {
	switch nd := o.node(name); {
	case nd == nil || nd.Kind == jsonobj.Null:
	case nd.Kind == jsonobj.String:
		*dst = nd.Str
	default:
		return false
	}
	return true
}

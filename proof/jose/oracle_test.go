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
	"github.com/go-openbadges/openbadges/keys"
)

// The functions here are the ones replaced to spend less memory, kept as
// they were to be the oracles of the equivalence tests
// (equivalence_test.go).

// isPresentationTokenOld is IsPresentationToken before it decoded into a
// reused buffer.
func isPresentationTokenOld(token []byte) bool {
	parts := bytes.Split(bytes.TrimSpace(token), []byte("."))
	if len(parts) != 3 || len(parts[0]) > 64<<10 {
		return false
	}
	headerJSON, err := decodeSegment(parts[0])
	if err != nil {
		return false
	}
	var h struct {
		Type string `json:"typ"`
	}
	if json.Unmarshal(headerJSON, &h) != nil {
		return false
	}
	switch typ := mediaName(h.Type); typ {
	case "vp+jwt", "vp+ld+json+jwt":
		return true
	case "", "jwt":
	default:
		return false
	}
	payload, err := decodeSegment(parts[1])
	if err != nil || !bytes.Contains(payload, []byte(`"vp"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(payload, &m) != nil {
		return false
	}
	_, ok := m["vp"]
	return ok
}

// readPayloadOld, readClaimsOld, rawMembers and readHeaderOld are those
// before the members were looked up in the tree rather than a map.
func readPayloadOld(res *Result) error {
	t := trees.Get()
	defer trees.Put(t)
	if err := jsonobj.ParseTree(res.Payload, DefaultMaxBytes, 64, t); err != nil {
		return fmt.Errorf("%w: payload: %w", ErrNotCredential, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the payload is not a JSON object", ErrNotCredential)
	}
	members := rawMembers(res.Payload, t)
	claims, err := readClaimsOld(members)
	if err != nil {
		return err
	}
	res.Claims = *claims

	typ := strings.ToLower(strings.TrimPrefix(strings.ToLower(res.Header.Type), "application/"))
	credential, exclude := 0, []string(nil)
	vc, hasVC := members["vc"]
	switch {
	case typ == "vc+jwt" || typ == "vc+ld+json+jwt":
		res.Format = FormatVCJOSE
		if cty := strings.TrimPrefix(strings.ToLower(res.Header.ContentType), "application/"); cty != "" && cty != "vc" && cty != "vc+ld+json" {
			return fmt.Errorf("%w: cty %q with typ %q: want \"vc\"", ErrHeader, res.Header.ContentType, res.Header.Type)
		}
		if _, hasVP := members["vp"]; hasVC || hasVP {
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

func readClaimsOld(m map[string]json.RawMessage) (*Claims, error) {
	c := &Claims{}
	str := func(name string, dst *string) error {
		if raw, ok := m[name]; ok && json.Unmarshal(raw, dst) != nil {
			return fmt.Errorf("%w: the %s claim is not a string", ErrClaims, name)
		}
		return nil
	}
	date := func(name string, dst **time.Time, tolerateString bool) error {
		raw, ok := m[name]
		if !ok {
			return nil
		}
		var n json.Number
		if len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &n) == nil {
			f, err := n.Float64()
			if err != nil || math.IsInf(f, 0) || f < 0 || f > 1e13 {
				return fmt.Errorf("%w: the %s claim %s is not a NumericDate", ErrClaims, name, n)
			}
			sec, frac := math.Modf(f)
			t := time.Unix(int64(sec), int64(frac*1e9)).UTC()
			*dst = &t
			return nil
		}
		var s string
		if tolerateString && json.Unmarshal(raw, &s) == nil {
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
	if raw, ok := m["aud"]; ok {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			c.Audience = []string{one}
		} else if json.Unmarshal(raw, &c.Audience) != nil {
			return nil, fmt.Errorf("%w: the aud claim is not a string or an array of strings", ErrClaims)
		}
	}
	return c, nil
}

func rawMembers(data []byte, t *jsonobj.Tree) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage)
	for c := 1; c < int(t.Nodes[0].End); c = int(t.Nodes[c].End) {
		nd := &t.Nodes[c]
		m[nd.Key] = data[nd.Start:nd.Stop:nd.Stop]
	}
	return m
}

func (v *Verifier) readHeaderOld(data []byte, h *Header) error {
	var t jsonobj.Tree
	if err := jsonobj.ParseTree(data, 64<<10, 16, &t); err != nil {
		return fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if t.Nodes[0].Kind != jsonobj.Object {
		return fmt.Errorf("%w: the header is not a JSON object", ErrMalformed)
	}
	m := rawMembers(data, &t)
	str := func(name string, dst *string) error {
		raw, ok := m[name]
		if !ok {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("%w: %s is not a string", ErrHeader, name)
		}
		return nil
	}
	for _, e := range []error{str("alg", &h.Algorithm), str("kid", &h.KeyID), str("typ", &h.Type), str("cty", &h.ContentType)} {
		if e != nil {
			return e
		}
	}
	h.JWK = m["jwk"]
	for _, name := range []string{"crit", "b64", "x5c", "x5u", "x5t", "x5t#S256", "jku"} {
		if _, ok := m[name]; ok {
			why := map[string]string{
				"crit": "it makes extensions critical, and none is understood here",
				"b64":  "an unencoded payload (RFC 7797) is not a credential's form",
				"jku":  "keys are not fetched from a URL the token names",
				"x5u":  "keys are not fetched from a URL the token names",
			}[name]
			if why == "" {
				why = "X.509 certificates are not a key source here"
			}
			return fmt.Errorf("%w: %q: %s", ErrHeader, name, why)
		}
	}
	alg := keys.Algorithm(h.Algorithm)
	switch {
	case h.Algorithm == "":
		return fmt.Errorf("%w: the header has no alg", ErrAlgorithm)
	case strings.EqualFold(h.Algorithm, "none"):
		return fmt.Errorf("%w: alg %q: an unsigned token proves nothing", ErrAlgorithm, h.Algorithm)
	case strings.HasPrefix(h.Algorithm, "HS"):
		return fmt.Errorf("%w: alg %q: a shared-secret MAC cannot show who issued a credential", ErrAlgorithm, h.Algorithm)
	case !slices.Contains(accepted, alg):
		return fmt.Errorf("%w: alg %q is not one of RS256, ES256, ES384, ES512, EdDSA", ErrAlgorithm, h.Algorithm)
	case len(v.Algorithms) > 0 && !slices.Contains(v.Algorithms, alg):
		return fmt.Errorf("%w: alg %q is not allowed by this verifier", ErrAlgorithm, h.Algorithm)
	}
	return nil
}

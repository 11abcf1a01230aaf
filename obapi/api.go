package obapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-openbadges/openbadges/obapi/hoststore"
	"github.com/go-openbadges/openbadges/schema"
	"github.com/go-openbadges/openbadges/verify"
)

// specOAS is where 1EdTech publishes the specification's OpenAPI
// document, whose schemas the Service Description Document refers to.
const specOAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/openapi/ob_v3p0_oas.json"

// compactJWS is the specification's pattern of a compact JWS.
var compactJWS = regexp.MustCompile(`^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$`)

// discovery is getServiceDescription: the Service Description Document,
// the specification's OpenAPI document profiled for this host. Anyone may
// read it.
func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	info := map[string]any{
		"title": s.cfg.Title, "version": "3.0", "termsOfService": s.cfg.TermsOfService,
		"x-imssf-privacyPolicyUrl": s.cfg.PrivacyPolicy,
	}
	if s.cfg.Image != "" {
		info["x-imssf-image"] = s.cfg.Image
	}
	scopes := map[string]string{
		ScopeCredentialReadonly: "Permission to read AchievementCredentials for the authenticated entity.",
		ScopeCredentialUpsert:   "Permission to create or update AchievementCredentials for the authenticated entity.",
		ScopeProfileReadonly:    "Permission to read the profile for the authenticated entity.",
		ScopeProfileUpdate:      "Permission to update the profile for the authenticated entity.",
	}
	// Each operation as this host serves it: its scope, parameters, bodies
	// and answers (the schemas are the specification's, referred to in its
	// published OpenAPI document).
	ref := func(schema string) map[string]any {
		return map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": specOAS + "#/components/schemas/" + schema}}}
	}
	jws := map[string]any{"schema": map[string]any{"type": "string", "pattern": compactJWS.String()}}
	status := map[string]any{"description": "An Imsx_StatusInfo error.", "content": ref("Imsx_StatusInfo")}
	op := func(id, scope string, responses map[string]any) map[string]any {
		responses["400"], responses["401"], responses["403"], responses["default"] = status, status, status, status
		return map[string]any{"operationId": id, "tags": []string{"OpenBadgeCredentials"},
			"security": []any{map[string]any{"OAuth2ACG": []string{scope}}}, "responses": responses}
	}
	param := func(name, typ, format string, minimum any) map[string]any {
		sch := map[string]any{"type": typ, "format": format}
		if minimum != nil {
			sch["minimum"] = minimum
		}
		return map[string]any{"name": name, "in": "query", "required": false, "schema": sch}
	}
	credential := ref("AchievementCredential")
	credential["text/plain"] = jws
	getCredentials := op("getCredentials", ScopeCredentialReadonly, map[string]any{
		"200": map[string]any{"description": "A page of the user's credentials.", "content": ref("GetOpenBadgeCredentialsResponse"),
			"headers": map[string]any{"X-Total-Count": map[string]any{"schema": map[string]any{"type": "integer"}}, "Link": map[string]any{"schema": map[string]any{"type": "string"}}}},
	})
	getCredentials["parameters"] = []any{param("limit", "integer", "int32", 1), param("offset", "integer", "int32", 0), param("since", "string", "date-time", nil)}
	upsertCredential := op("upsertCredential", ScopeCredentialUpsert, map[string]any{
		"200": map[string]any{"description": "Replaced: the credential as sent.", "content": credential},
		"201": map[string]any{"description": "Created: the credential as sent.", "content": credential},
		"413": status, "415": status,
	})
	upsertCredential["requestBody"] = map[string]any{"required": true, "content": credential}
	getProfile := op("getProfile", ScopeProfileReadonly, map[string]any{
		"200": map[string]any{"description": "The user's profile.", "content": ref("Profile")}, "404": status,
	})
	putProfile := op("putProfile", ScopeProfileUpdate, map[string]any{
		"200": map[string]any{"description": "The profile as stored.", "content": ref("Profile")}, "413": status, "415": status,
	})
	putProfile["requestBody"] = map[string]any{"required": true, "content": ref("Profile")}
	doc := map[string]any{
		"openapi": "3.0.1",
		"info":    info,
		"servers": []any{map[string]any{"url": s.abs(APIPath)}},
		"tags":    []any{map[string]any{"name": "OpenBadgeCredentials"}, map[string]any{"name": "Discovery"}},
		"paths": map[string]any{
			"/credentials": map[string]any{"get": getCredentials, "post": upsertCredential},
			"/profile":     map[string]any{"get": getProfile, "put": putProfile},
			"/discovery": map[string]any{"get": map[string]any{"operationId": "getServiceDescription", "tags": []string{"Discovery"},
				"responses": map[string]any{"200": map[string]any{"description": "The Service Description Document."}}}},
		},
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"OAuth2ACG": map[string]any{
					"type":                     "oauth2",
					"description":              "OAuth 2.0 Authorization Code Grant authorization, with PKCE (S256)",
					"x-imssf-registrationUrl":  s.abs(APIPath + "/oauth/register"),
					"x-imssf-privacyPolicyUrl": s.cfg.PrivacyPolicy,
					"flows": map[string]any{"authorizationCode": map[string]any{
						"authorizationUrl":      s.abs(APIPath + "/oauth/authorize"),
						"tokenUrl":              s.abs(APIPath + "/oauth/token"),
						"refreshUrl":            s.abs(APIPath + "/oauth/token"),
						"x-imssf-revocationUrl": s.abs(APIPath + "/oauth/revoke"),
						"scopes":                scopes,
					}},
				},
			},
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the Service Description Document could not be made")
		return
	}
	// Clients cache the SDD as its headers say (the specification asks
	// them to): it changes only with the host's configuration.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}

// ParsePage reads getCredentials' query parameters: limit (at least 1, at
// most MaxLimit; DefaultLimit if absent), offset (at least 0) and since (an
// RFC 3339 date and time). Its error names the bad parameter.
func ParsePage(q url.Values) (hoststore.Page, error) {
	p := hoststore.Page{Limit: DefaultLimit}
	for k, v := range q {
		if len(v) > 1 {
			return p, fmt.Errorf("the parameter %s is repeated", k)
		}
	}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 {
			return p, fmt.Errorf("limit %q: want an integer of at least 1", v[0])
		}
		p.Limit = min(n, MaxLimit)
	}
	if v, ok := q["offset"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 || n > 1<<31-1 {
			return p, fmt.Errorf("offset %q: want an integer of at least 0", v[0])
		}
		p.Offset = n
	}
	if v, ok := q["since"]; ok {
		t, err := time.Parse(time.RFC3339Nano, v[0])
		if err != nil {
			return p, fmt.Errorf("since %q: want a date and time such as 2024-01-31T12:00:00Z", v[0])
		}
		p.Since = t
	}
	return p, nil
}

// credentialsResponse is GetOpenBadgeCredentialsResponse.
type credentialsResponse struct {
	Credential       []json.RawMessage `json:"credential,omitempty"`
	CompactJWSString []string          `json:"compactJwsString,omitempty"`
}

// getCredentials is getCredentials: a page of the user's credentials,
// with X-Total-Count and the Link header's first, prev, next and last.
func (s *Server) getCredentials(w http.ResponseWriter, r *http.Request, user string) {
	p, err := ParsePage(r.URL.Query())
	if err != nil {
		s.status(w, http.StatusBadRequest, "invalid_query_parameter", err.Error())
		return
	}
	page, total, err := s.cfg.Records.Credentials(r.Context(), user, p)
	if err != nil {
		s.log.ErrorContext(r.Context(), "credentials not read", "error", err)
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the credentials could not be read")
		return
	}
	resp := credentialsResponse{Credential: []json.RawMessage{}, CompactJWSString: []string{}}
	for _, c := range page {
		if c.JWS {
			resp.CompactJWSString = append(resp.CompactJWSString, string(c.Data))
		} else {
			resp.Credential = append(resp.Credential, c.Data)
		}
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if links := s.links(r.URL.Query(), p, total); links != "" {
		w.Header().Set("Link", links)
	}
	writeJSON(w, http.StatusOK, resp)
}

// links returns the Link header of a page of total credentials.
func (s *Server) links(q url.Values, p hoststore.Page, total int) string {
	link := func(offset int, rel string) string {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		v.Set("limit", strconv.Itoa(p.Limit))
		v.Set("offset", strconv.Itoa(offset))
		return "<" + s.abs(APIPath+"/credentials") + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	last := 0
	if total > 0 {
		last = (total - 1) / p.Limit * p.Limit
	}
	var out []string
	if p.Offset+p.Limit < total {
		out = append(out, link(p.Offset+p.Limit, "next"))
	}
	out = append(out, link(last, "last"), link(0, "first"))
	if p.Offset > 0 {
		out = append(out, link(max(p.Offset-p.Limit, 0), "prev"))
	}
	return strings.Join(out, ", ")
}

// upsertCredential is upsertCredential: the credential, JSON
// (application/json) or a compact JWS (text/plain), is stored for the user
// if it verifies, and sent back: 201 if it is new, 200 if it replaced one.
func (s *Server) upsertCredential(w http.ResponseWriter, r *http.Request, user string) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && mt != "text/plain" {
		s.status(w, http.StatusUnsupportedMediaType, "invalid_data", "the credential is sent as application/json, or as a compact JWS in text/plain")
		return
	}
	data, err := readBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.status(w, http.StatusRequestEntityTooLarge, "invalid_data", err.Error())
		return
	}
	c, err := s.checkCredential(r.Context(), data, mt == "text/plain")
	if err != nil {
		var bad *badCredential
		if errors.As(err, &bad) {
			s.status(w, http.StatusBadRequest, "invalid_data", bad.msg)
			return
		}
		s.log.ErrorContext(r.Context(), "credential not verified", "error", err)
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the credential could not be verified")
		return
	}
	created, err := s.cfg.Records.Upsert(r.Context(), user, *c)
	if err != nil {
		s.log.ErrorContext(r.Context(), "credential not stored", "error", err)
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the credential could not be stored")
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	s.log.InfoContext(r.Context(), "credential upserted", "created", created, "jws", c.JWS)
	w.Header().Set("Cache-Control", "no-store")
	if c.JWS {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(code)
	w.Write(c.Data)
}

// badCredential is the error of a credential the client must fix.
type badCredential struct{ msg string }

func (e *badCredential) Error() string { return e.msg }

// checkCredential returns the hoststore.Credential of data, if it is an OB 3.0
// AchievementCredential, JSON or (jws) a compact JWS, that verifies.
func (s *Server) checkCredential(ctx context.Context, data []byte, jws bool) (*hoststore.Credential, error) {
	trimmed := bytes.TrimSpace(data)
	if jws {
		if !compactJWS.Match(trimmed) {
			return nil, &badCredential{"a text/plain credential is a compact JWS"}
		}
		data = trimmed
	} else if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, &badCredential{"an application/json credential is a JSON object"}
	}
	rep, err := s.cfg.Verifier.Verify(ctx, data, s.cfg.Policy)
	if err != nil {
		if errors.Is(err, verify.ErrInput) {
			return nil, &badCredential{"not a credential: " + err.Error()}
		}
		return nil, err
	}
	switch {
	case rep.Class != "AchievementCredential":
		return nil, &badCredential{fmt.Sprintf("an Open Badges 3.0 AchievementCredential is upserted here, not %q", rep.Class)}
	case jws != (rep.Input == "jwt"):
		return nil, &badCredential{"a JSON credential is sent as application/json, a VC-JWT as text/plain"}
	case !rep.Verified:
		var why []string
		for _, c := range rep.Checks {
			if c.Outcome != verify.Passed && c.Outcome != verify.Warning && c.Outcome != verify.Skipped {
				why = append(why, c.ID+": "+c.Message)
			}
		}
		return nil, &badCredential{"the credential does not verify: " + strings.Join(why, "; ")}
	}
	var doc struct {
		ID           string `json:"id"`
		ValidFrom    string `json:"validFrom"`
		IssuanceDate string `json:"issuanceDate"`
	}
	json.Unmarshal(rep.Credential, &doc)
	c := &hoststore.Credential{Data: data, JWS: jws, Issued: s.cfg.Now().UTC()}
	if doc.ID != "" {
		c.Key = EqualityKey(rep.Issuer, doc.ID)
	} else {
		sum := sha256.Sum256(data)
		c.Key = "sha256:" + base64.RawURLEncoding.EncodeToString(sum[:])
	}
	for _, d := range []string{doc.ValidFrom, doc.IssuanceDate} {
		if t, err := time.Parse(time.RFC3339Nano, d); err == nil {
			c.Issued = t.UTC()
			break
		}
	}
	return c, nil
}

// ErrRefused is wrapped by Hold's error for a credential the host does
// not keep: not an OB 3.0 AchievementCredential, or one that does not
// verify.
var ErrRefused = errors.New("obapi: the credential is refused")

// Hold keeps credential (JSON, or a compact JWS) for user, as
// upsertCredential does: only if it verifies, with the Config's Verifier
// and Policy, replacing the one of the same issuer and id. It is for a
// host that receives credentials otherwise than through the API (an
// issuer keeping what it awards, for its learners' clients to fetch). It
// reports whether the credential is new.
func (s *Server) Hold(ctx context.Context, user string, credential []byte) (created bool, err error) {
	if user == "" {
		return false, errors.New("obapi: Hold: no user")
	}
	if int64(len(credential)) > s.cfg.MaxBodyBytes {
		return false, fmt.Errorf("%w: more than %d bytes", ErrRefused, s.cfg.MaxBodyBytes)
	}
	trimmed := bytes.TrimSpace(credential)
	c, err := s.checkCredential(ctx, credential, len(trimmed) > 0 && trimmed[0] != '{')
	var bad *badCredential
	if errors.As(err, &bad) {
		return false, fmt.Errorf("%w: %s", ErrRefused, bad.msg)
	}
	if err != nil {
		return false, err
	}
	return s.cfg.Records.Upsert(ctx, user, *c)
}

// EqualityKey returns what identifies a credential of issuer id issuer
// and credential id id by the specification's credential equality: both
// ids after unescaping percent-encoded characters (RFC 3986) and then
// trimming leading and trailing white space. Two credentials with the same
// key are the same credential; the one upserted last replaces the other
// (the specification leaves open what to do with an older one).
func EqualityKey(issuer, id string) string {
	norm := func(s string) string {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		return strings.TrimSpace(s)
	}
	issuer = norm(issuer)
	// The issuer's length first, so that no two pairs make one key.
	return strconv.Itoa(len(issuer)) + ":" + issuer + " " + norm(id)
}

// getProfile is getProfile: the user's profile, the Config's
// DefaultProfile, or not_found.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request, user string) {
	p, err := s.cfg.Records.Profile(r.Context(), user)
	if errors.Is(err, hoststore.ErrNotFound) && s.cfg.DefaultProfile != nil {
		if p, err = s.cfg.DefaultProfile(r.Context(), user); err == nil {
			if cerr := s.checkProfile(r, p); cerr != nil {
				err = fmt.Errorf("the default profile: %w", cerr)
			}
		}
	}
	switch {
	case errors.Is(err, hoststore.ErrNotFound):
		s.status(w, http.StatusNotFound, "not_found", "there is no profile for this user")
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "profile not read", "error", err)
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the profile could not be read")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(p)
}

// putProfile is putProfile: the profile, valid against the
// specification's Profile schema, replaces the user's, and is sent back.
func (s *Server) putProfile(w http.ResponseWriter, r *http.Request, user string) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.status(w, http.StatusUnsupportedMediaType, "invalid_data", "the profile is sent as application/json")
		return
	}
	data, err := readBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		s.status(w, http.StatusRequestEntityTooLarge, "invalid_data", err.Error())
		return
	}
	if err := s.checkProfile(r, data); err != nil {
		s.status(w, http.StatusBadRequest, "invalid_data", err.Error())
		return
	}
	if err := s.cfg.Records.PutProfile(r.Context(), user, data); err != nil {
		s.log.ErrorContext(r.Context(), "profile not stored", "error", err)
		s.status(w, http.StatusInternalServerError, "internal_server_error", "the profile could not be stored")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// checkProfile checks a profile against the Profile schema.
func (s *Server) checkProfile(r *http.Request, data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return errors.New("the profile is a JSON object")
	}
	if err := s.schemas.ValidateContext(r.Context(), schema.ProfileSchemaURL, data); err != nil {
		return fmt.Errorf("the profile is not valid against the Profile schema: %w", err)
	}
	return nil
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

// responseBuffers are the buffers responses are encoded in: a response is
// written (copied to the connection's buffer, or sent) before writeJSON
// returns, and its buffer is then used again, not left to the collector.
var responseBuffers = sync.Pool{New: func() any {
	b := new(bytes.Buffer)
	b.Grow(4 << 10) // most responses, in one allocation
	return b
}}

// maxPooledResponse bounds the buffers kept for reuse: one that grew for a
// large response (a status list) is let go.
const maxPooledResponse = 64 << 10

// writeJSON writes v with status code, followed by a newline.
func writeJSON(w http.ResponseWriter, code int, v any) {
	buf := responseBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledResponse {
			buf.Reset()
			responseBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeBody(w, code, "application/json", buf.Bytes())
}

// contentTypes are the Content-Type header values of writeBody's
// responses, set without a new slice per response.
var contentTypes = map[string][]string{
	"application/json":         {"application/json"},
	"application/problem+json": {"application/problem+json"},
}

// writeBody writes body, of type contentType, with status code, and says
// its length, so that the response goes out in one write without chunking.
func writeBody(w http.ResponseWriter, code int, contentType string, body []byte) {
	h := w.Header()
	if ct, ok := contentTypes[contentType]; ok {
		h["Content-Type"] = ct
	} else {
		h.Set("Content-Type", contentType)
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(code)
	w.Write(body)
}

// problem is an RFC 9457 problem detail, the form the VC API and the VC
// Data Model use for errors.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	Code   int    `json:"code,omitempty"`
}

// Problem types. The first four are the VC Data Model 2.0's (§7.1), the
// next three the Bitstring Status List's; the last are this server's own,
// for outcomes neither names.
const (
	problemParsing          = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	problemCrypto           = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	problemMalformed        = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
	problemRange            = "https://www.w3.org/TR/vc-data-model#RANGE_ERROR"
	problemStatusRetrieval  = "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR"
	problemStatusVerify     = "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR"
	problemStatusListLength = "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR"
	problemProof            = "https://w3id.org/security#PROOF_VERIFICATION_ERROR"
	problemRevoked          = "urn:openbadges:vcapi:problem:CREDENTIAL_REVOKED"
	problemSuspended        = "urn:openbadges:vcapi:problem:CREDENTIAL_SUSPENDED"
	problemValidity         = "urn:openbadges:vcapi:problem:VALIDITY_PERIOD"
	problemCheckFailed      = "urn:openbadges:vcapi:problem:CHECK_FAILED"
	problemWarning          = "urn:openbadges:vcapi:problem:WARNING"
	problemBadRequest       = "urn:openbadges:vcapi:problem:BAD_REQUEST"
	problemIssuer           = "urn:openbadges:vcapi:problem:ISSUER_MISMATCH"
	problemNotFound         = "urn:openbadges:vcapi:problem:NOT_FOUND"
	problemInternal         = "urn:openbadges:vcapi:problem:INTERNAL_ERROR"
)

// problemCodes are the VC Data Model's and the Bitstring Status List's
// error codes of their problem types.
var problemCodes = map[string]int{
	problemParsing:          -64,
	problemCrypto:           -65,
	problemMalformed:        -66,
	problemRange:            -67,
	problemProof:            -16,
	problemStatusRetrieval:  -128,
	problemStatusVerify:     -129,
	problemStatusListLength: -130,
}

// newProblem returns a problem of type typ; the title is the last part of
// typ.
func newProblem(typ, detail string) problem {
	title := typ[strings.LastIndexAny(typ, "#:")+1:]
	return problem{Type: typ, Title: title, Detail: detail, Code: problemCodes[typ]}
}

// writeProblem answers with a single problem detail as
// application/problem+json.
func writeProblem(w http.ResponseWriter, code int, typ, detail string) {
	p := newProblem(typ, detail)
	p.Status = code
	body, _ := json.Marshal(p)
	writeBody(w, code, "application/problem+json", append(body, '\n'))
}

// readOptions decodes a request's options (absent or null: none) into v,
// and writes a 400 and returns true when they are not a JSON object of
// the right form.
func readOptions(w http.ResponseWriter, raw json.RawMessage, v any) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	if _, err := members(raw); err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "options: "+err.Error())
		return true
	}
	if err := json.Unmarshal(raw, v); err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "options: "+err.Error())
		return true
	}
	return false
}

// readBody reads a JSON request body within the size limit: 413 if it is
// over, 415 if it does not say JSON, 400 if it is not a JSON object.
// It reports whether it answered. A v that is a memberSetter takes the
// object's members as they are, without a decode (the credential a
// request carries is passed on as it was received); any other v is
// decoded with encoding/json.
func (s *server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			writeProblem(w, http.StatusUnsupportedMediaType, problemBadRequest, "the body must be application/json, not "+mt)
			return true
		}
	}
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= s.cfg.MaxBodyBytes {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeProblem(w, http.StatusRequestEntityTooLarge, problemBadRequest, fmt.Sprintf("the body is over the limit of %d bytes", tooBig.Limit))
		return true
	case err != nil:
		writeProblem(w, http.StatusBadRequest, problemParsing, "reading the body: "+err.Error())
		return true
	}
	body := buf.Bytes()
	if !json.Valid(body) {
		// encoding/json says what is wrong, and where.
		var x any
		msg := "the body is not JSON"
		if err := json.Unmarshal(body, &x); err != nil {
			msg = "the body is not JSON: " + err.Error()
		}
		writeProblem(w, http.StatusBadRequest, problemParsing, msg)
		return true
	}
	ms, err := jsonobj.SplitMembers(body)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "the body is not the JSON object expected")
		return true
	}
	if m, ok := v.(memberSetter); ok {
		m.setMembers(ms)
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeProblem(w, http.StatusBadRequest, problemParsing, "the body is not the JSON object expected: "+err.Error())
		return true
	}
	return false
}

// A memberSetter is a request body whose members are all raw JSON: it takes
// them from the body's object as they are.
type memberSetter interface {
	setMembers([]jsonobj.ObjectMember)
}

// setRaw sets each of fields to the value of the member of ms its name
// names, matched as encoding/json matches a struct's fields (exactly or
// ignoring case, the last such member winning).
func setRaw(ms []jsonobj.ObjectMember, fields map[string]*json.RawMessage) {
	for _, m := range ms {
		if f, ok := fields[m.Name]; ok {
			*f = m.Value
			continue
		}
		for name, f := range fields {
			if strings.EqualFold(m.Name, name) {
				*f = m.Value
			}
		}
	}
}

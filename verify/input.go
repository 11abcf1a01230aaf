package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/bake"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// input decides what the input is and finds the credential in it.
func (r *run) input(ctx context.Context, input []byte) error {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")))
	var text []byte
	var doc map[string]json.RawMessage // text's members, when already split
	switch {
	case len(trimmed) == 0:
		return fmt.Errorf("%w: the input is empty", ErrInput)
	case trimmed[0] == '{':
		var ok bool
		if doc, ok = r.c.members(trimmed); !ok {
			var v any
			err := json.Unmarshal(trimmed, &v)
			return fmt.Errorf("%w: not valid JSON: %v", ErrInput, err)
		}
		if v := obLegacyVersion(doc); v != "" {
			r.ob = &ob20{r: r, in: ob20Input{form: "json", text: trimmed, version: v}}
			return nil
		}
		r.rep.Input, text = "json", trimmed
		if isEnveloped(doc) {
			jws, err := openEnvelope(doc)
			if err != nil {
				r.rep.Input = "enveloped"
				r.add(CheckInput, Failed, nil, "%v", err)
				r.finishEarly()
				return nil
			}
			r.rep.Input, text, doc = "enveloped", jws, nil
		}
	case jose.IsCompact(trimmed):
		if in, ok := legacyInput("", trimmed); ok {
			r.ob = &ob20{r: r, in: in}
			return nil
		}
		r.rep.Input, text = "jwt", trimmed
	case isHTTPURL(trimmed):
		in, _ := legacyInput("url", trimmed)
		r.ob = &ob20{r: r, in: in}
		return nil
	case bytes.HasPrefix(trimmed, []byte("data:")):
		jws, err := dataURL(string(trimmed))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
		r.rep.Input, text = "enveloped", jws
	default:
		baked, err := bake.Extract(input, &bake.Options{MaxImageBytes: len(input) + 1})
		switch {
		case errors.Is(err, bake.ErrUnknownFormat):
			return fmt.Errorf("%w: neither JSON, a compact JWS, a PNG nor an SVG, nor an HTML page or a PDF with a credential in it", ErrInput)
		case err != nil:
			r.rep.Input = imageName(input)
			r.add(CheckInput, Failed, nil, "%v", err)
			r.finishEarly()
			return nil
		}
		r.rep.Input = strings.ToLower(baked.Format.String())
		if in, ok := bakedLegacy(baked); ok {
			r.ob = &ob20{r: r, in: in}
			return nil
		}
		text = baked.Credential
	}
	if jose.IsCompact(text) {
		r.rep.Encoding = "jwt"
		res, err := r.c.jwt.Verify(ctx, text)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.add(CheckInput, Failed, nil, "a JWT that cannot be read: %v", err)
			r.finishEarly()
			return nil
		}
		r.jwt = res
		r.cred = res.Credential
		if len(r.cred) == 0 {
			r.add(CheckInput, Failed, nil, "the JWT is refused before its credential can be read: %v", res.Err)
			r.finishEarly()
			return nil
		}
		doc = nil
	} else {
		r.rep.Encoding = "json"
		r.cred = text
	}
	if doc == nil {
		doc, _ = r.c.members(r.cred)
	}
	if r.doc = doc; r.doc == nil {
		r.add(CheckInput, Failed, nil, "the credential is not a JSON object")
		r.finishEarly()
		return nil
	}
	r.rep.Credential = json.RawMessage(r.cred)
	r.rep.Issuer = idOf(r.doc["issuer"])
	subject := r.doc["credentialSubject"]
	if len(subject) > 0 && subject[0] == '[' {
		if subjects, err := jsonobj.SplitArray(subject); err == nil && len(subjects) > 0 {
			subject = subjects[0]
		}
	}
	r.rep.Subject = idOf(subject)
	msg := "a JSON credential"
	if r.rep.Encoding == "jwt" {
		msg = "a " + r.jwt.Format.String()
	}
	if r.rep.Input == "enveloped" {
		msg += " in an EnvelopedVerifiableCredential"
	}
	switch r.rep.Input {
	case "png", "svg":
		msg += " baked into " + strings.ToUpper(r.rep.Input)
	case "html":
		msg += " in an HTML page"
	case "pdf":
		msg += " attached to a PDF"
	}
	r.add(CheckInput, Passed, nil, "%s", msg)
	return nil
}

// imageName names the kind of input bake.Extract could not read: "png",
// "svg", "html" or "pdf".
func imageName(b []byte) string {
	if f := bake.Detect(b); f != bake.FormatUnknown {
		return strings.ToLower(f.String())
	}
	return "svg"
}

// idOf returns a member that is an id string or an object with an id. raw
// is a part of a document known to be valid JSON.
func idOf(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '{' {
		raw, _ = jsonobj.Member(raw, "id")
	}
	s, _ := decodeString(raw)
	return s
}

// decodeString is jsonobj.DecodeString for a member that may be absent or
// of another kind: only a JSON string is decoded (an absent member, an
// object, an array or null is not, and costs nothing).
func decodeString(raw []byte) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	return jsonobj.DecodeString(raw)
}

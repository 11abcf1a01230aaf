package verify

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// envelopedMediaTypes are the media types of an enveloped credential's
// data: URL whose data is a compact JWS: VC-JOSE-COSE's vc+jwt, and the
// names earlier drafts used.
var envelopedMediaTypes = []string{"application/vc+jwt", "application/vc-ld+jwt", "application/vc+ld+json+jwt", "application/jwt"}

// errEnvelope is why an EnvelopedVerifiableCredential cannot be opened.
var errEnvelope = errors.New("not a well-formed EnvelopedVerifiableCredential")

// isEnveloped reports whether a JSON object's type names
// EnvelopedVerifiableCredential.
func isEnveloped(doc map[string]json.RawMessage) bool {
	return hasTypeMember(doc["type"], "EnvelopedVerifiableCredential")
}

// hasTypeMember reports whether a type member (a string or an array of
// strings) includes t.
func hasTypeMember(raw json.RawMessage, t string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == t
	}
	var many []string
	return json.Unmarshal(raw, &many) == nil && slices.Contains(many, t)
}

// openEnvelope returns the compact JWS an EnvelopedVerifiableCredential
// carries. VC-JOSE-COSE §3.2: the envelope's @context starts with the
// VCDM 2.0 context, its type is EnvelopedVerifiableCredential, and its id
// is a data: URL (RFC 2397) of the secured credential. The envelope
// itself is not signed: only what its data: URL holds is verified, so an
// envelope with anything else in it is refused rather than ignored.
func openEnvelope(doc map[string]json.RawMessage) ([]byte, error) {
	for name := range doc {
		switch name {
		case "@context", "id", "type":
		default:
			return nil, fmt.Errorf("%w: member %q is not part of an envelope and would not be verified", errEnvelope, name)
		}
	}
	if err := envelopeContext(doc["@context"]); err != nil {
		return nil, err
	}
	var types []string
	if json.Unmarshal(doc["type"], &types) != nil {
		var one string
		if json.Unmarshal(doc["type"], &one) != nil {
			return nil, fmt.Errorf("%w: type is neither a string nor an array of strings", errEnvelope)
		}
		types = []string{one}
	}
	if len(types) != 1 || types[0] != "EnvelopedVerifiableCredential" {
		return nil, fmt.Errorf("%w: type %q must be EnvelopedVerifiableCredential alone", errEnvelope, types)
	}
	var id string
	if json.Unmarshal(doc["id"], &id) != nil || id == "" {
		return nil, fmt.Errorf("%w: id must be a data: URL holding the secured credential", errEnvelope)
	}
	return dataURL(id)
}

// envelopeContext checks an envelope's @context: the VCDM 2.0 context
// first, then only URL strings or objects.
func envelopeContext(raw json.RawMessage) error {
	if len(raw) == 0 {
		return fmt.Errorf("%w: @context is missing", errEnvelope)
	}
	var ctxs []any
	if json.Unmarshal(raw, &ctxs) != nil {
		var one any
		if json.Unmarshal(raw, &one) != nil {
			return fmt.Errorf("%w: @context is neither a string nor an array", errEnvelope)
		}
		ctxs = []any{one}
	}
	if len(ctxs) == 0 {
		return fmt.Errorf("%w: @context is empty; its first item must be %s", errEnvelope, contextVCDM20)
	}
	if first, _ := ctxs[0].(string); first != contextVCDM20 {
		return fmt.Errorf("%w: the first @context must be %s", errEnvelope, contextVCDM20)
	}
	for i, c := range ctxs[1:] {
		switch c := c.(type) {
		case string:
			if u, err := url.Parse(c); err != nil || !u.IsAbs() {
				return fmt.Errorf("%w: @context[%d] %q is not a URL", errEnvelope, i+1, c)
			}
		case map[string]any:
		default:
			return fmt.Errorf("%w: @context[%d] is neither a URL nor an object", errEnvelope, i+1)
		}
	}
	return nil
}

// dataURL returns the compact JWS held by a data: URL whose media type is
// one of envelopedMediaTypes.
func dataURL(u string) ([]byte, error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, fmt.Errorf("%w: id is not a data: URL", errEnvelope)
	}
	header, data, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, fmt.Errorf("%w: a data: URL without a comma", errEnvelope)
	}
	params := strings.Split(header, ";")
	mediaType := strings.ToLower(strings.TrimSpace(params[0]))
	if !slices.Contains(envelopedMediaTypes, mediaType) {
		return nil, fmt.Errorf("%w: media type %q: want one of %s", errEnvelope, mediaType, strings.Join(envelopedMediaTypes, ", "))
	}
	var b []byte
	if slices.Contains(params[1:], "base64") {
		var err error
		if b, err = base64.StdEncoding.DecodeString(data); err != nil {
			return nil, fmt.Errorf("%w: the data: URL is not valid base64: %v", errEnvelope, err)
		}
	} else {
		text, err := url.PathUnescape(data)
		if err != nil {
			return nil, fmt.Errorf("%w: the data: URL is not valid: %v", errEnvelope, err)
		}
		b = []byte(text)
	}
	if !isJWS(b) {
		return nil, fmt.Errorf("%w: the data: URL does not hold a compact JWS", errEnvelope)
	}
	return b, nil
}

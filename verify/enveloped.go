package verify

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// envelopedMediaTypes are the media types of an enveloped credential's
// data: URL whose data is a compact JWS: VC-JOSE-COSE's vc+jwt, and the
// names earlier drafts used.
var envelopedMediaTypes = []string{"application/vc+jwt", "application/vc-ld+jwt", "application/vc+ld+json+jwt", "application/jwt"}

// presentationMediaTypes are the media types of an enveloped
// presentation's data: URL whose data is a compact JWS: VC-JOSE-COSE's
// vp+jwt, the names earlier drafts used, and plain JWT, which the W3C
// data-model suite's VCDM 1.1-style presentation uses.
var presentationMediaTypes = []string{"application/vp+jwt", "application/vp-ld+jwt", "application/vp+ld+json+jwt", "application/jwt"}

// errEnvelope is why an EnvelopedVerifiableCredential cannot be opened,
// errPresentationEnvelope why an EnvelopedVerifiablePresentation cannot.
var (
	errEnvelope             = errors.New("not a well-formed EnvelopedVerifiableCredential")
	errPresentationEnvelope = errors.New("not a well-formed EnvelopedVerifiablePresentation")
)

// An envelope is a kind of enveloped object (VCDM 2.0 §4.13.1, §4.13.2):
// its type, the error its faults wrap, and the media types its data: URL
// may have.
type envelope struct {
	typ        string
	err        error
	mediaTypes []string
}

// The envelopes of credentials and of presentations.
var (
	credentialEnvelope   = envelope{"EnvelopedVerifiableCredential", errEnvelope, envelopedMediaTypes}
	presentationEnvelope = envelope{"EnvelopedVerifiablePresentation", errPresentationEnvelope, presentationMediaTypes}
)

// isEnveloped reports whether a JSON object's type names
// EnvelopedVerifiableCredential.
func isEnveloped(doc map[string]json.RawMessage) bool {
	return hasTypeMember(doc["type"], "EnvelopedVerifiableCredential")
}

// hasTypeMember reports whether a type member (a string or an array of
// strings) includes t.
func hasTypeMember(raw json.RawMessage, t string) bool {
	if one, ok := decodeString(raw); ok {
		return one == t
	}
	many, ok := jsonobj.DecodeStrings(raw)
	return ok && slices.Contains(many, t)
}

// openEnvelope returns the compact JWS an EnvelopedVerifiableCredential
// carries (see envelope.open).
func openEnvelope(doc map[string]json.RawMessage) ([]byte, error) {
	return credentialEnvelope.open(doc)
}

// open returns the compact JWS an envelope of kind e carries.
// VC-JOSE-COSE §3.2: the envelope's @context starts with the VCDM 2.0
// context, its type is e's, and its id is a data: URL (RFC 2397) of the
// secured credential or presentation. The envelope itself is not signed:
// only what its data: URL holds is verified, so an envelope with anything
// else in it is refused rather than ignored.
func (e envelope) open(doc map[string]json.RawMessage) ([]byte, error) {
	for name := range doc {
		switch name {
		case "@context", "id", "type":
		default:
			return nil, fmt.Errorf("%w: member %q is not part of an envelope and would not be verified", e.err, name)
		}
	}
	if err := e.context(doc["@context"]); err != nil {
		return nil, err
	}
	var types []string
	if json.Unmarshal(doc["type"], &types) != nil {
		var one string
		if json.Unmarshal(doc["type"], &one) != nil {
			return nil, fmt.Errorf("%w: type is neither a string nor an array of strings", e.err)
		}
		types = []string{one}
	}
	if len(types) != 1 || types[0] != e.typ {
		return nil, fmt.Errorf("%w: type %q must be %s alone", e.err, types, e.typ)
	}
	var id string
	if json.Unmarshal(doc["id"], &id) != nil || id == "" {
		return nil, fmt.Errorf("%w: id must be a data: URL holding what is secured", e.err)
	}
	return e.dataURL(id)
}

// context checks an envelope's @context: the VCDM 2.0 context first,
// then only URL strings or objects.
func (e envelope) context(raw json.RawMessage) error {
	if len(raw) == 0 {
		return fmt.Errorf("%w: @context is missing", e.err)
	}
	var ctxs []any
	if json.Unmarshal(raw, &ctxs) != nil {
		var one any
		if json.Unmarshal(raw, &one) != nil {
			return fmt.Errorf("%w: @context is neither a string nor an array", e.err)
		}
		ctxs = []any{one}
	}
	if len(ctxs) == 0 {
		return fmt.Errorf("%w: @context is empty; its first item must be %s", e.err, contextVCDM20)
	}
	if first, _ := ctxs[0].(string); first != contextVCDM20 {
		return fmt.Errorf("%w: the first @context must be %s", e.err, contextVCDM20)
	}
	for i, c := range ctxs[1:] {
		switch c := c.(type) {
		case string:
			if u, err := url.Parse(c); err != nil || !u.IsAbs() {
				return fmt.Errorf("%w: @context[%d] %q is not a URL", e.err, i+1, c)
			}
		case map[string]any:
		default:
			return fmt.Errorf("%w: @context[%d] is neither a URL nor an object", e.err, i+1)
		}
	}
	return nil
}

// dataURL returns the compact JWS held by a data: URL whose media type is
// one of envelopedMediaTypes.
func dataURL(u string) ([]byte, error) {
	return credentialEnvelope.dataURL(u)
}

// dataURL returns the compact JWS held by a data: URL whose media type is
// one of e's.
func (e envelope) dataURL(u string) ([]byte, error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, fmt.Errorf("%w: id is not a data: URL", e.err)
	}
	header, data, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, fmt.Errorf("%w: a data: URL without a comma", e.err)
	}
	params := strings.Split(header, ";")
	mediaType := strings.ToLower(strings.TrimSpace(params[0]))
	if !slices.Contains(e.mediaTypes, mediaType) {
		return nil, fmt.Errorf("%w: media type %q: want one of %s", e.err, mediaType, strings.Join(e.mediaTypes, ", "))
	}
	var b []byte
	if slices.Contains(params[1:], "base64") {
		var err error
		if b, err = base64.StdEncoding.DecodeString(data); err != nil {
			return nil, fmt.Errorf("%w: the data: URL is not valid base64: %v", e.err, err)
		}
	} else {
		text, err := url.PathUnescape(data)
		if err != nil {
			return nil, fmt.Errorf("%w: the data: URL is not valid: %v", e.err, err)
		}
		b = []byte(text)
	}
	if !jose.IsCompact(b) {
		return nil, fmt.Errorf("%w: the data: URL does not hold a compact JWS", e.err)
	}
	return b, nil
}

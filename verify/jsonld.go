package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-openbadges/openbadges/credential"
	"github.com/go-openbadges/openbadges/internal/jsonld"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/schema"
)

// trees are the parse trees of the jsonld check, kept from one call to the
// next by every Verifier.
var trees jsonobj.Trees

// checkJSONLD reads the credential as JSON-LD in safe mode.
func (r *run) checkJSONLD(ctx context.Context) error {
	if r.skipAll(CheckJSONLD) {
		return nil
	}
	tree := trees.Get()
	tree.Intern = r.c.v.conv.Interned()
	if err := jsonobj.ParseTree(r.cred, len(r.cred), credential.DefaultMaxDepth, tree); err != nil || tree.Nodes[0].Kind != jsonobj.Object {
		trees.Put(tree)
		r.add(CheckJSONLD, Failed, nil, "the credential is not a JSON object: %v", err)
		return nil
	}
	r.tree = tree // for the schema and the rules; put back by runAll
	// Proofs are read too: a proof of a type no context defines is
	// refused here, as the 1EdTech validator refuses it.
	if err := r.c.v.conv.CheckTree(ctx, tree, 0, ""); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var sm *jsonld.SafeModeError
		var ice *schema.InlineContextError
		var details any
		switch {
		case errors.As(err, &sm):
			details = &SafeModeDetail{Path: sm.Path, Reason: sm.Reason}
		case errors.As(err, &ice):
			details = &InlineContextDetail{Limit: ice.Limit, Max: ice.Max, Size: ice.Size}
			r.add(CheckJSONLD, Failed, details, "the credential's inline JSON-LD contexts are over a limit (%d, more than %d): real credentials name their contexts by URL; to accept it, raise verify.Trust.%s (negative for no limit)", ice.Size, ice.Max, ice.Limit)
			return nil
		}
		r.add(CheckJSONLD, Failed, details, "%v", err)
		return nil
	}
	r.add(CheckJSONLD, Passed, nil, "every term is defined and nothing is dropped (JSON-LD safe mode)")
	return nil
}

// The contexts of the data model versions and of Open Badges 3.0.
const (
	contextVCDM20 = "https://www.w3.org/ns/credentials/v2"
	contextVCDM11 = "https://www.w3.org/2018/credentials/v1"
	contextOB     = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	contextOBBase = "https://purl.imsglobal.org/spec/ob/v3p0/context"
)

// contextURL returns the @context entry raw if it is a URL (a JSON
// string), or "".
func contextURL(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	s, _ := jsonobj.DecodeString(raw)
	return s
}

// checkContext checks @context and type.
func (r *run) checkContext(ctx context.Context) error {
	if r.skipAll(CheckContext) {
		return nil
	}
	// The members are parts of a valid JSON object: each is split, and
	// only the strings are decoded.
	var ctxs []json.RawMessage
	switch raw := r.doc["@context"]; {
	case len(raw) > 0 && raw[0] == '[':
		elems, _ := jsonobj.SplitArray(raw)
		ctxs = make([]json.RawMessage, 0, len(elems))
		for _, e := range elems {
			ctxs = append(ctxs, e)
		}
	case len(raw) == 0:
		r.add(CheckContext, Failed, nil, "@context is missing")
		return nil
	case string(raw) == "null":
		// None, as encoding/json reads null into a slice: empty.
	default:
		ctxs = []json.RawMessage{raw}
	}
	types, ok := jsonobj.DecodeStrings(r.doc["type"])
	if !ok {
		if oneType, ok := jsonobj.DecodeString(r.doc["type"]); ok {
			types = []string{oneType}
		}
	}
	if len(ctxs) == 0 {
		r.add(CheckContext, Failed, nil, "@context is empty")
		return nil
	}
	first := contextURL(ctxs[0])
	var warnings []string
	switch first {
	case contextVCDM20:
		r.rep.Version = "VCDM 2.0"
	case contextVCDM11:
		r.rep.Version = "VCDM 1.1"
		warnings = append(warnings, "a VCDM 1.1 credential: a legacy data model")
	default:
		r.add(CheckContext, Failed, nil, "the first @context is %q, not %s", first, contextVCDM20)
		return nil
	}
	if !slices.Contains(types, "VerifiableCredential") {
		r.add(CheckContext, Failed, nil, "type %q does not include VerifiableCredential", types)
		return nil
	}
	switch {
	case slices.Contains(types, "AchievementCredential") || slices.Contains(types, "OpenBadgeCredential"):
		r.rep.Class = "AchievementCredential"
	case slices.Contains(types, "EndorsementCredential"):
		r.rep.Class = "EndorsementCredential"
	case r.c.policy.VCOnly:
		r.rep.Class = "VerifiableCredential"
	default:
		r.add(CheckContext, Failed, nil, "type %q is neither an AchievementCredential (OpenBadgeCredential) nor an EndorsementCredential", types)
		return nil
	}
	if r.rep.Class != "VerifiableCredential" {
		ob := ""
		for _, c := range ctxs {
			if s := contextURL(c); strings.HasPrefix(s, contextOBBase) {
				ob = s
			}
		}
		switch {
		case ob == "":
			r.add(CheckContext, Failed, nil, "no Open Badges 3.0 context (%s)", contextOB)
			return nil
		case ob != contextOB:
			warnings = append(warnings, fmt.Sprintf("Open Badges context %s, not the current %s", ob, contextOB))
		}
	}
	if len(warnings) > 0 {
		r.add(CheckContext, Warning, nil, "%s; %s", r.rep.Class, strings.Join(warnings, "; "))
		return nil
	}
	r.add(CheckContext, Passed, nil, "%s", r.rep.Class+", "+r.rep.Version) // one string: not copied again
	return nil
}

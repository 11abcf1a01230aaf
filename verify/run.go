package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-openbadges/openbadges/did"
	"github.com/go-openbadges/openbadges/internal/jsonobj"
	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
)

// call is the state one Verify call shares across the credential, its
// endorsements and its refreshed copy: its policy, and what it fetched,
// recorded by its own fetcher.
type call struct {
	v        *Verifier
	policy   *Policy
	rec      *recorder
	fetcher  *sourceFetcher
	resolver did.Chain
	di       *dataintegrity.Verifier
	jwt      *jose.Verifier

	// split is the last JSON object members split, and of what bytes.
	split struct {
		of  []byte
		doc map[string]json.RawMessage
		ok  bool
	}
}

// members returns the members of b, a JSON object, and whether b is one
// (valid JSON, an object). The input is looked at from several sides (a
// presentation? Open Badges 2.0? enveloped?); it is checked and split once.
func (c *call) members(b []byte) (map[string]json.RawMessage, bool) {
	if s := &c.split; len(s.of) == len(b) && len(b) > 0 && &s.of[0] == &b[0] {
		return s.doc, s.ok
	}
	var doc map[string]json.RawMessage
	ok := json.Valid(b)
	if ok {
		var err error
		doc, err = jsonobj.SplitObject(b)
		ok = err == nil
	}
	c.split.of, c.split.doc, c.split.ok = b, doc, ok
	return doc, ok
}

// newCall prepares a call: its fetcher records what it reads, and the
// resolver chain and proof verifiers read through it.
func (v *Verifier) newCall(p *Policy) *call {
	c := &call{v: v, policy: p, rec: &recorder{}}
	c.fetcher = &sourceFetcher{docs: v.trust.Documents, net: v.trust.Fetcher, rec: c.rec}
	chain := make(did.Chain, 0, 6+len(v.trust.Resolvers))
	chain = append(chain, did.Key{}, did.JWK{})
	if v.trust.Keys != nil {
		chain = append(chain, did.StoreResolver{Store: v.trust.Keys})
	}
	if len(v.trust.Documents) > 0 {
		chain = append(chain, mapDocs{m: did.Map(v.trust.Documents), rec: c.rec})
	}
	chain = append(chain, v.trust.Resolvers...)
	c.resolver = append(chain, did.Web{Fetcher: c.fetcher}, did.HTTP{Fetcher: c.fetcher})
	c.di = v.di.With(c.resolver, p.Now)
	c.jwt = &jose.Verifier{Resolver: c.resolver}
	return c
}

// withoutRecipient returns the call for endorsements and refreshed
// credentials: the same, but with no recipient (an endorsement's subject
// is the thing endorsed).
func (c *call) withoutRecipient() *call {
	if c.policy.Recipient == nil {
		return c
	}
	cp := *c
	p := *c.policy
	p.Recipient = nil
	cp.policy = &p
	return &cp
}

// run is the state of one verification.
type run struct {
	c    *call
	rep  *Report
	cred []byte // the credential's JSON
	jwt  *jose.Result
	doc  map[string]json.RawMessage
	// depthRefreshed is true for a refreshed credential, whose own
	// refresh service is not followed.
	depthRefreshed bool
	// ob is set when the input is an Open Badges 2.0 (or older) object,
	// which has checks of its own.
	ob *ob20
	// tree is the credential parsed by the jsonld check, read again by
	// the schema and rules check (nil if it could not be parsed).
	tree *jsonobj.Tree
}

func (r *run) add(id string, o Outcome, details any, format string, args ...any) {
	r.rep.Checks = append(r.rep.Checks, Check{ID: id, Outcome: o, Message: message(format, args), Details: details})
}

// message is fmt.Sprintf(format, args...), without a copy of a message
// that is only its format or only one string.
func message(format string, args []any) string {
	switch {
	case len(args) == 0 && !strings.Contains(format, "%"):
		return format
	case len(args) == 1 && format == "%s":
		if s, ok := args[0].(string); ok {
			return s
		}
	}
	return fmt.Sprintf(format, args...)
}

func (c *call) verify(ctx context.Context, input []byte, depth int) (*Report, error) {
	// Room for every check of a credential.
	r := &run{c: c, rep: &Report{ReportVersion: ReportVersion, Checks: make([]Check, 0, 16), Fetched: []Fetched{}}}
	return r.runAll(ctx, input, depth)
}

// runAll runs every check in order.
func (r *run) runAll(ctx context.Context, input []byte, depth int) (*Report, error) {
	defer func() {
		if r.tree != nil {
			trees.Put(r.tree)
			r.tree = nil
		}
	}()
	if err := r.input(ctx, input); err != nil {
		return nil, err
	}
	if r.ob != nil {
		return r.ob.runAll(ctx, depth)
	}
	// A CLR 2.0 record (clr.go) has its own context and schema checks,
	// and then verifies every credential it embeds.
	clr := r.isClr()
	checkContext, checkSchemaAndRules := r.checkContext, r.checkSchemaAndRules
	if clr {
		checkContext, checkSchemaAndRules = r.checkClrContext, r.checkClrSchemaAndRules
	}
	steps := [...]func(context.Context) error{
		r.checkJSONLD, checkContext, checkSchemaAndRules, r.checkCredentialSchema,
		r.checkProof, r.checkIssuer, r.checkRefresh, r.checkStatus, r.checkValidity,
		r.checkRecipient,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := r.checkEndorsements(ctx, depth); err != nil {
		return nil, err
	}
	if clr {
		if err := r.checkClrCredentials(ctx); err != nil {
			return nil, err
		}
	}
	r.finish()
	if clr {
		r.clrInconclusive()
	}
	return r.rep, nil
}

// finish decides the verdict: verified when no check failed and none was
// left undecided, but for a status the Policy accepts as unknown.
func (r *run) finish() {
	r.summarize()
	decide(r.rep, r.c.policy, func(c Check) bool {
		return c.ID == CheckStatus && r.c.policy.AllowUnknownStatus
	})
}

// decide sets rep's verdict from its checks: verified when none failed
// and none was left undecided, except those accepted says the Policy
// accepts undecided (they make the report inconclusive only). In strict
// mode a warning is a failure.
func decide(rep *Report, p *Policy, accepted func(Check) bool) {
	rep.Verified = true
	for i, c := range rep.Checks {
		if c.Outcome == Warning && p.Strict {
			rep.Checks[i].Outcome = Failed
			rep.Checks[i].Message += " (a failure in strict mode)"
			c = rep.Checks[i]
		}
		switch c.Outcome {
		case Failed:
			rep.Verified = false
		case Indeterminate:
			rep.Inconclusive = true
			if !accepted(c) {
				rep.Verified = false
			}
		}
	}
}

// finishEarly marks a verification that cannot go past the input.
func (r *run) finishEarly() { r.cred = nil }

// skipAll is true when the input check failed: every later check is then
// skipped with that reason.
func (r *run) skipAll(id string) bool {
	if r.cred != nil {
		return false
	}
	r.add(id, Skipped, nil, "no credential to check")
	return true
}

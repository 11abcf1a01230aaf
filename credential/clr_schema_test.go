package credential

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-openbadges/openbadges/schema"
)

// TestClrSchemaFixtures pins the verdict of the official CLR 2.0 JSON
// Schema on every CLR fixture: the pointer and keyword of each problem.
// The schema describes a VCDM 2.0 record (so Check applies it to those
// only).
func TestClrSchemaFixtures(t *testing.T) {
	type found struct{ Pointer, Keyword string }
	// legacy is what the schema says of a VCDM 1.1 record of n VCDM 1.1
	// credentials: the first context is VCDM 1.1 and there is no
	// validFrom (issuanceDate instead), in the record and in each
	// credential.
	legacy := func(n int) []found {
		out := []found{{"/@context", "oneOf"}}
		for i := range n {
			p := "/credentialSubject/verifiableCredential/" + string(rune('0'+i))
			out = append(out, found{p + "/@context", "oneOf"}, found{p + "/validFrom", "required"})
		}
		return append(out, found{"/validFrom", "required"})
	}
	for _, tc := range []struct {
		file string
		want []found
	}{
		// Valid, as the 1EdTech validator says.
		{"validator/clr20/simple.json", nil},
		// The implementation guide's vector, signed and unsigned: valid.
		{"vectors/clr-credential-signed.json", nil},
		{"vectors/clr-credential-unsigned.json", nil},
		// VCDM 1.1 records (the validator's simple_v1.json is valid there
		// with a warning: it does not apply this VCDM 2.0 schema to them).
		{"validator/clr20/simple_v1.json", legacy(6)},
		{"validator/clr20/complex.json", legacy(6)},
		// VCDM 1.1, with a draft CLR context.
		{"validator/clr20/simple-noproof.json", legacy(1)},
		{"validator/clr20/simple_old_safesigned.json", legacy(1)},
		// The spec's example of an upgraded OB 2.0 assertion in a CLR: two
		// contexts (no OB 3.0 one), no ClrCredential in its type, no
		// embedded credentials, and an issuer whose otherIdentifier and
		// alsoKnownAs the schema refuses.
		{"spec/clr-with-upgraded-ob2-assertion.json", []found{
			{"/@context", "oneOf"}, {"/credentialSubject/verifiableCredential", "required"}, {"/issuer", "anyOf"}, {"/type", "oneOf"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			v, err := defaultSchemas()
			if err != nil {
				t.Fatal(err)
			}
			err = v.Validate(schema.ClrCredentialSchemaURL, readFile(t, "testdata/"+tc.file))
			var got []found
			var ve *schema.ValidationError
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					got = append(got, found{p.Pointer, p.Keyword})
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

// TestClrSchemaTamper removes each member the CLR schema requires of a
// record from simple.json: the schema reports it missing at its pointer,
// and Check reports an error there (the CLR rule's finding, which names
// the same fault more clearly, where a rule covers it).
func TestClrSchemaTamper(t *testing.T) {
	v, err := defaultSchemas()
	if err != nil {
		t.Fatal(err)
	}
	for _, member := range []string{"@context", "type", "id", "name", "credentialSubject", "issuer", "validFrom"} {
		t.Run(member, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(readFile(t, "testdata/validator/clr20/simple.json"), &doc); err != nil {
				t.Fatal(err)
			}
			delete(doc, member)
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Validate(schema.ClrCredentialSchemaURL, data)
			var ve *schema.ValidationError
			if !errors.As(err, &ve) || !containsProblem(ve.Problems, "/"+member, "required") {
				t.Errorf("schema: %v, want a required problem at /%s", err, member)
			}
			if member == "type" {
				return // no longer a ClrCredential: Check reads it as another class
			}
			res, err := Check(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid() || res.Class != "ClrCredential" {
				t.Errorf("Check: class %s, valid %v: %v", res.Class, res.Valid(), res.Problems)
			}
		})
	}
}

func containsProblem(ps []schema.Problem, pointer, keyword string) bool {
	for _, p := range ps {
		if p.Pointer == pointer && p.Keyword == keyword {
			return true
		}
	}
	return false
}

// TestCheckClrSchema checks what Check reports of the CLR schema: a
// finding about the record's own members is reported as a schema finding
// (the OB 3.0 context third in @context, after the extensions context,
// which only the schema requires); one inside an embedded credential (its
// validFrom removed) is not reported twice, but once, by that credential's
// own check.
func TestCheckClrSchema(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(readFile(t, "testdata/validator/clr20/simple.json"), &doc); err != nil {
		t.Fatal(err)
	}
	ctx := doc["@context"].([]any)
	doc["@context"] = append([]any{ctx[0], ctx[1], "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"}, ctx[2:]...)
	inner := doc["credentialSubject"].(map[string]any)["verifiableCredential"].([]any)[0].(map[string]any)
	delete(inner, "validFrom")
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, skip := range []bool{false, true} {
		res, err := Check(data, &CheckOptions{SkipEmbedded: skip})
		if err != nil {
			t.Fatal(err)
		}
		type finding struct{ Pointer, Rule string }
		var got []finding
		for _, p := range res.Problems {
			got = append(got, finding{p.Pointer, p.Rule})
		}
		want := []finding{{"/@context", "schema/oneOf"}, {"/credentialSubject/verifiableCredential/0/validFrom", "required"}}
		if skip {
			want = want[:1]
		}
		if d := cmp.Diff(want, got); d != "" || res.Valid() {
			t.Errorf("SkipEmbedded %v: valid %v, findings (-want +got):\n%s", skip, res.Valid(), d)
		}
	}
}

package schema

import (
	"testing"

	"github.com/go-openbadges/openbadges/internal/jsonobj"
)

func BenchmarkNewValidator(b *testing.B) {
	for b.Loop() {
		if _, err := NewValidator(ValidatorOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	v := validator(b)
	data := readFile(b, "testdata/spec/complete-openbadgecredential.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(AchievementCredentialSchemaURL, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateInvalid(b *testing.B) {
	v := validator(b)
	data := edit(b, func(d map[string]any) {
		delete(d, "issuer")
		obj(d["credentialSubject"])["type"] = "AchievementSubject"
	})
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(AchievementCredentialSchemaURL, data); err == nil {
			b.Fatal("invalid document passed")
		}
	}
}

func BenchmarkNewLoader(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewLoader(LoaderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadDocument(b *testing.B) {
	l := newLoader(b, LoaderOptions{})
	for _, u := range []string{"https://www.w3.org/ns/credentials/v2", ob303ContextURL} {
		b.Run(u[len("https://"):], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.LoadDocument(u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCanonicalize is the OB 3.0 vector through json-gold with the
// Loader: most of the time is json-gold processing the contexts.
func BenchmarkCanonicalize(b *testing.B) {
	l := newLoader(b, LoaderOptions{})
	doc := readJSON(b, "testdata/eddsa-rdfc-2022/ob-credential-unsigned.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := canonicalize(b, l, doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateTree validates a credential already parsed, as package
// credential's Check does: the tree validator alone.
func BenchmarkValidateTree(b *testing.B) {
	v := validator(b)
	data := readFile(b, "testdata/spec/complete-openbadgecredential.json")
	var tree jsonobj.Tree
	if err := jsonobj.ParseTree(data, len(data), maxValueDepth, &tree); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := v.ValidateTree(AchievementCredentialSchemaURL, &tree, 0); err != nil {
			b.Fatal(err)
		}
	}
}

package schema

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func FuzzValidate(f *testing.F) {
	paths, err := filepath.Glob("testdata/spec/*.json")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed corpus: %v", err)
	}
	for _, p := range paths {
		f.Add(readFile(f, p))
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `"x"`, `{"@context": 1}`, `{"issuer": []}`, `{"a" 1}`, `{"type": ["VerifiableCredential"]} x`} {
		f.Add([]byte(s))
	}
	v := validator(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, u := range []string{AchievementCredentialSchemaURL, EndorsementCredentialSchemaURL, ProfileSchemaURL} {
			err := v.Validate(u, data)
			if err == nil {
				continue
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				if !strings.HasPrefix(err.Error(), "schema: decoding document: ") {
					t.Fatalf("Validate(%s): unexpected error %v", u, err)
				}
				continue
			}
			if len(ve.Problems) == 0 {
				t.Fatalf("Validate(%s): ValidationError without problems", u)
			}
			if !slices.IsSortedFunc(ve.Problems, func(a, b Problem) int { return comparePointers(a.Pointer, b.Pointer) }) {
				t.Fatalf("Validate(%s): problems not sorted: %v", u, ve.Problems)
			}
			for _, p := range ve.Problems {
				if p.Pointer != "" && !strings.HasPrefix(p.Pointer, "/") || p.Keyword == "" || p.Message == "" ||
					!strings.HasPrefix(p.Message, displayPointer(p.Pointer)+": ") || !strings.Contains(p.SchemaLocation, "#") {
					t.Fatalf("Validate(%s): malformed problem %+v", u, p)
				}
			}
		}
	})
}

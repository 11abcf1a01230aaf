package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestValidatorFetchLimit: a Validator holds at most MaxFetchedSchemas
// fetched documents, however many distinct schema URLs it is given, and
// keeps validating against every one of them (fetching again what it
// dropped).
func TestValidatorFetchLimit(t *testing.T) {
	const n = 3*MaxFetchedSchemas + 5
	ff := &fakeFetcher{docs: map[string][]byte{}}
	for i := range n {
		ff.docs[fmt.Sprintf("https://example.org/%d.json", i)] = []byte(`{"type": "integer", "minimum": ` + fmt.Sprint(i) + `}`)
	}
	v, err := NewValidator(ValidatorOptions{Fetcher: ff})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		for i := range n {
			u := fmt.Sprintf("https://example.org/%d.json", i)
			if err := v.Validate(u, []byte(fmt.Sprint(i))); err != nil {
				t.Fatalf("round %d, schema %d: %v", round, i, err)
			}
			if err := v.Validate(u, []byte(fmt.Sprint(i-1))); err == nil {
				t.Fatalf("round %d, schema %d: %d passed", round, i, i-1)
			}
			v.compileMu.Lock()
			held := v.loader.held
			v.compileMu.Unlock()
			v.fetchedMu.RLock()
			kept := len(v.fetched)
			v.fetchedMu.RUnlock()
			if held > MaxFetchedSchemas || kept > MaxFetchedSchemas {
				t.Fatalf("after schema %d: %d documents held, %d schemas kept, want at most %d", i, held, kept, MaxFetchedSchemas)
			}
		}
	}
	// Each schema was fetched once per round: held ones are not fetched
	// again until dropped.
	if got := len(ff.Calls()); got != 2*n {
		t.Errorf("%d fetches for %d schemas in 2 rounds, want %d", got, n, 2*n)
	}
}

// TestValidatorFetchLimitPerSchema: one schema that needs more than
// MaxFetchedSchemas documents (a chain of references) is refused, and the
// Validator goes on validating against others.
func TestValidatorFetchLimitPerSchema(t *testing.T) {
	ff := &fakeFetcher{docs: map[string][]byte{"https://example.org/ok.json": []byte(`{"type": "string"}`)}}
	for i := range MaxFetchedSchemas + 1 {
		ff.docs[fmt.Sprintf("https://example.org/chain/%d.json", i)] = []byte(fmt.Sprintf(`{"$ref": "%d.json"}`, i+1))
	}
	v, err := NewValidator(ValidatorOptions{Fetcher: ff})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		err := v.Validate("https://example.org/chain/0.json", []byte(`1`))
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("already needed %d documents", MaxFetchedSchemas)) {
			t.Fatalf("Validate(chain) = %v, want a refusal", err)
		}
		if err := v.Validate("https://example.org/ok.json", []byte(`"x"`)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestValidatorFailedFetches: a schema that cannot be fetched is an error
// of each validation naming it, the same every time, however many there
// are; a failure is not remembered (the fetcher is asked each time), and
// does not use up what the Validator may hold. (Before, failed fetches
// counted against a lifetime budget of 64: the 65th validation was refused
// for another reason, and so was every later one, of any schema.)
func TestValidatorFailedFetches(t *testing.T) {
	const missing = "https://example.org/missing.json"
	ff := &fakeFetcher{docs: map[string][]byte{"https://example.org/ok.json": []byte(`{"type": "string"}`)}}
	v, err := NewValidator(ValidatorOptions{Fetcher: ff})
	if err != nil {
		t.Fatal(err)
	}
	var first string
	for i := range 200 {
		err := v.Validate(missing, []byte(`{}`))
		if !errors.Is(err, errNotFound) {
			t.Fatalf("validation %d: %v, want an error wrapping errNotFound", i, err)
		}
		if i == 0 {
			first = err.Error()
		} else if err.Error() != first {
			t.Fatalf("validation %d: %v, want %s", i, err, first)
		}
	}
	if got := len(ff.Calls()); got != 200 {
		t.Errorf("the fetcher was asked %d times, want 200 (a failure is not cached)", got)
	}
	if err := v.Validate("https://example.org/ok.json", []byte(`"x"`)); err != nil {
		t.Errorf("a fetchable schema after 200 failures: %v", err)
	}
}

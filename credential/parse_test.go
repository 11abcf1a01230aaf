package credential

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const minimal = `{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],` +
	`"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://example.edu","type":["Profile"]},` +
	`"validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"id":"did:example:me","type":["AchievementSubject"],` +
	`"achievement":{"id":"https://example.edu/a","type":["Achievement"],"name":"A","description":"B","criteria":{"narrative":"C"}}}}`

// TestParseBadInput: every kind of bad input gives a *DecodeError that says
// what and where, never a panic.
func TestParseBadInput(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	deepInside := `{"@context":` + strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000) + "}"
	huge := `{"name":"` + strings.Repeat("x", 10<<20) + `"}`
	tests := []struct {
		name    string
		in      string
		pointer string
		is      error  // errors.Is target, if any
		msg     string // substring of the message
	}{
		{"empty", "", "", nil, "unexpected end of JSON input"},
		{"truncated", `{"id":"x"`, "", nil, "unexpected end of JSON input"},
		{"not JSON", `hello`, "", nil, "invalid JSON at byte 1"},
		{"trailing garbage", `{} {}`, "", nil, "more than one JSON value"},
		{"array", `[1,2]`, "", nil, "want an AchievementCredential object, got an array"},
		{"string", `"x"`, "", nil, "want an AchievementCredential object, got a string"},
		{"null", `null`, "", nil, "want an AchievementCredential object, got null"},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", "", nil, "not valid UTF-8"},
		{"duplicate member", `{"id":"a","id":"b"}`, "/id", ErrDuplicateMember, `duplicate object member "id"`},
		{"duplicate nested", `{"credentialSubject":{"achievement":{"name":"a","x":[{"k":1,"k":2}]}}}`,
			"/credentialSubject/achievement/x/0/k", ErrDuplicateMember, "duplicate"},
		{"too deep array", deep, "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0", ErrTooDeep, "the limit is 64 levels"},
		{"too deep object", deepInside, "/@context" + strings.Repeat("/a", 63), ErrTooDeep, "the limit is 64 levels"},
		{"10 MB", huge, "", ErrTooLarge, "the limit is 4194304"},
		{"name is a number", `{"name":1}`, "/name", nil, "want a string, got a number"},
		{"issuer is a number", `{"issuer":5}`, "/issuer", nil, "want a Profile object, got a number"},
		{"type is an object", `{"type":{}}`, "/type", nil, "want a type name or an array of type names, got an object"},
		{"context entry is a number", `{"@context":["https://www.w3.org/ns/credentials/v2",7]}`, "/@context/1", nil, "want a context URL or object, got a number"},
		{"two subjects", `{"credentialSubject":[{},{}]}`, "/credentialSubject", nil, "want one credentialSubject, got an array of 2"},
		{"deep wrong type", `{"credentialSubject":{"achievement":{"alignment":[{"type":["Alignment"]},{"targetUrl":false}]}}}`,
			"/credentialSubject/achievement/alignment/1/targetUrl", nil, "want a string, got a boolean"},
		{"hashed not a boolean", `{"credentialSubject":{"identifier":[{"hashed":true},{"hashed":"yes"}]}}`,
			"/credentialSubject/identifier/1/hashed", nil, "want a boolean, got a string"},
		{"single identifier", `{"credentialSubject":{"identifier":{"hashed":"yes"}}}`,
			"/credentialSubject/identifier/hashed", nil, "want a boolean, got a string"},
		{"number not a number", `{"credentialSubject":{"creditsEarned":"3"}}`,
			"/credentialSubject/creditsEarned", nil, "want a number, got a string"},
		{"image type array of two", `{"image":{"id":"x","type":["Image","Photo"]}}`, "/image/type", nil, "want one type name, got 2"},
		{"mixed contexts", `{"@context":["https://www.w3.org/2018/credentials/v1","https://www.w3.org/ns/credentials/v2"]}`, "", ErrMixedVersions, "both"},
		{"2.0 with issuanceDate", `{"@context":["https://www.w3.org/ns/credentials/v2"],"issuanceDate":"2020-01-01T00:00:00Z"}`, "", ErrMixedVersions, "issuanceDate is VCDM 1.1"},
		{"2.0 with expirationDate", `{"@context":["https://www.w3.org/ns/credentials/v2"],"expirationDate":"2020-01-01T00:00:00Z"}`, "", ErrMixedVersions, "expirationDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseAchievementCredential([]byte(tt.in), nil)
			if err == nil {
				t.Fatalf("parsed %v, want an error", c)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			if de.Pointer != tt.pointer {
				t.Errorf("pointer = %q, want %q", de.Pointer, tt.pointer)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

// TestParseLimitsAreTheCallers: the caller can lower or raise each limit.
func TestParseLimitsAreTheCallers(t *testing.T) {
	if _, err := ParseAchievementCredential([]byte(minimal), &ParseOptions{MaxBytes: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxBytes 100: err = %v, want ErrTooLarge", err)
	}
	if _, err := ParseAchievementCredential([]byte(minimal), &ParseOptions{MaxDepth: 3}); !errors.Is(err, ErrTooDeep) {
		t.Errorf("MaxDepth 3: err = %v, want ErrTooDeep", err)
	}
	if _, err := ParseAchievementCredential([]byte(minimal), &ParseOptions{MaxDepth: 4}); err != nil {
		t.Errorf("MaxDepth 4 (the document's depth): %v", err)
	}
	big := strings.Replace(minimal, `"name":"A"`, `"name":"`+strings.Repeat("A", 5<<20)+`"`, 1)
	if _, err := ParseAchievementCredential([]byte(big), nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("5 MiB with the default limit: err = %v, want ErrTooLarge", err)
	}
	c, err := ParseAchievementCredential([]byte(big), &ParseOptions{MaxBytes: 6 << 20})
	if err != nil {
		t.Fatalf("5 MiB with MaxBytes 6 MiB: %v", err)
	}
	if got := len(c.CredentialSubject.Achievement.Name); got != 5<<20 {
		t.Errorf("name has %d bytes, want %d", got, 5<<20)
	}
}

// TestParseBoundedMemory: refusing a 10 MB document costs no more than
// reading it.
func TestParseBoundedMemory(t *testing.T) {
	huge := []byte(`{"name":"` + strings.Repeat("x", 10<<20) + `"}`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseAchievementCredential(huge, nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Errorf("refusing a 10 MB document allocated %d bytes", grew)
	}
}

func TestReadDocument(t *testing.T) {
	got, err := ReadDocument(strings.NewReader(minimal), nil)
	if err != nil || string(got) != minimal {
		t.Fatalf("ReadDocument = %q, %v", got, err)
	}
	r := &countingReader{r: bytes.NewReader(make([]byte, 10<<20))}
	if _, err := ReadDocument(r, &ParseOptions{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	if r.n > 1001 {
		t.Errorf("read %d bytes to refuse a document over 1000", r.n)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestVersion(t *testing.T) {
	tests := []struct {
		context string
		want    Version
	}{
		{`["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`, VCDM20},
		{`"https://www.w3.org/ns/credentials/v2"`, VCDM20},
		{`["https://www.w3.org/2018/credentials/v1","https://purl.imsglobal.org/spec/ob/v3p0/context.json"]`, VCDM11},
		{`["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`, VersionUnknown},
		{`[{"@vocab":"https://example.com/"}]`, VersionUnknown},
	}
	for _, tt := range tests {
		c, err := ParseVerifiableCredential([]byte(`{"@context":`+tt.context+`}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Version(); got != tt.want {
			t.Errorf("Version of %s = %v, want %v", tt.context, got, tt.want)
		}
	}
	built := VerifiableCredential{Context: ContextURLs(ContextVCDM11, ContextVCDM20)}
	if got := built.Version(); got != VersionUnknown {
		t.Errorf("mixed: Version = %v, want unknown", got)
	}
}

func TestContextEntries(t *testing.T) {
	c, err := ParseVerifiableCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2",{"ex":"https://example.com/#", "n": {"@id":"ex:n"}}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Context{{URL: ContextVCDM20}, {Object: []byte(`{"ex":"https://example.com/#", "n": {"@id":"ex:n"}}`)}}
	if diff := cmp.Diff(want, c.Context); diff != "" {
		t.Errorf("context (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{ContextVCDM20}, c.Context.URLs()); diff != "" {
		t.Errorf("URLs (-want +got):\n%s", diff)
	}
	out, err := Marshal(c.Context)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["https://www.w3.org/ns/credentials/v2",{"ex":"https://example.com/#","n":{"@id":"ex:n"}}]`; string(out) != want {
		t.Errorf("encoded %s, want %s", out, want)
	}
	for _, bad := range []Context{{{}}, {{URL: "x", Object: []byte("{}")}}, {{Object: []byte("{")}}} {
		if _, err := Marshal(bad); err == nil {
			t.Errorf("Marshal(%v) succeeded", bad)
		}
	}
}

// TestParseDoesNotAliasInput: what Parse returns does not change when the
// caller reuses the buffer it parsed.
func TestParseDoesNotAliasInput(t *testing.T) {
	buf := []byte(strings.Replace(minimal, `"validFrom"`, `"x-extra":{"k":"v"},"@context2":["a"],"validFrom"`, 1))
	c, err := ParseAchievementCredential(buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	before, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = ' '
	}
	after, err := Marshal(c)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the parsed credential changed with its input buffer:\nbefore %s\n after %s (%v)", before, after, err)
	}
}

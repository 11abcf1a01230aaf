package credential

import (
	"net/url"
	"strings"
	"testing"
)

// isAbsoluteURIParse is isAbsoluteURI as it was before it stopped calling
// url.Parse on every id: the oracle its replacement must agree with.
func isAbsoluteURIParse(s string) bool {
	if !hasURIScheme(s) || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// uriSeeds are the shapes url.Parse treats apart: opaque parts, paths,
// authorities with user information, ports, IP literals and zones,
// escapes (good, bad, in the host), queries, fragments, control bytes.
var uriSeeds = []string{
	"", ":", "a:", "a:b", "urn:uuid:1", "did:key:z6Mk", "did:web:example.org%3A8443:u",
	"data:image/png;base64,iVBOR=", "mailto:x@y", "https://example.org", "https://example.org/",
	"https://example.org/a/b?x=1#f", "https:", "https:/", "https://", "https:///", "https:///a",
	"https://:80", "https://h:", "https://h:8x", "https://h:1:2", "ftp://h:1:2", "https://[::1]",
	"https://[::1]:8", "https://[::1]x", "https://[fe80::1%25en0]/", "https://[1.2.3.4]", "https://a[b]",
	"https://u@h", "https://u:p@h/", "https://u%zz@h", "https://u@@h", "https://%41.org", "https://%c3%a9.org",
	"https://h/%zz", "https://h/%4", "https://h/a#%zz", "https://h/a#%41", "a:%zz", "a:b#%", "a:?", "a:?x",
	"a:/?", "a://?", "a://h?x/y", "a:#", "a:#f", "a:b\x01", "a:b#\x01", "a:b\x7f", "a://h\x00", "é:x",
	"https://ex ample.org", "https://example.org/<a>", "HTTP://EXAMPLE.ORG", "a+b.c-d://h", "a:/%41",
	"https://h~_-.x:443/p", "https://h!$&'()*+,;=/", "https://h%2541", "a:b?c#d?e#f", "a://h#/x",
}

// TestIsAbsoluteURIMatchesParse holds isAbsoluteURI to url.Parse's
// verdict on every seed and on every string of up to five bytes from an
// alphabet of the bytes url.Parse branches on, after each of three
// schemes (http is apart: url.Parse is strict about its colons).
func TestIsAbsoluteURIMatchesParse(t *testing.T) {
	for _, s := range uriSeeds {
		if got, want := isAbsoluteURI(s), isAbsoluteURIParse(s); got != want {
			t.Errorf("isAbsoluteURI(%q) = %v, url.Parse says %v", s, got, want)
		}
	}
	const alphabet = "a1:/?#%[]@.F\x01é"
	n := 0
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		n++
		if got, want := isAbsoluteURI(prefix), isAbsoluteURIParse(prefix); got != want {
			t.Fatalf("isAbsoluteURI(%q) = %v, url.Parse says %v", prefix, got, want)
		}
		if depth == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(prefix+alphabet[i:i+1], depth-1)
		}
	}
	depth := 5
	if testing.Short() {
		depth = 3
	}
	for _, scheme := range []string{"x:", "http:", "urn:"} {
		walk(scheme, depth)
	}
	t.Logf("%d strings agree", n)
}

// FuzzIsAbsoluteURI compares isAbsoluteURI with url.Parse's verdict on
// any input.
func FuzzIsAbsoluteURI(f *testing.F) {
	for _, s := range uriSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isAbsoluteURI(s), isAbsoluteURIParse(s); got != want {
			t.Errorf("isAbsoluteURI(%q) = %v, url.Parse says %v", s, got, want)
		}
	})
}

// BenchmarkIsAbsoluteURI measures the check on the ids a credential holds.
func BenchmarkIsAbsoluteURI(b *testing.B) {
	ids := []string{"https://example.org/achievements/1", "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range ids {
			if !isAbsoluteURI(s) {
				b.Fatal(s)
			}
		}
	}
}

package binsize

import (
	"errors"
	"os"
	"runtime"
	"testing"
)

func TestPackageOf(t *testing.T) {
	tests := []struct{ sym, want string }{
		{"github.com/go-openbadges/openbadges/verify.(*Verifier).Verify", "github.com/go-openbadges/openbadges/verify"},
		{"github.com/lestrrat-go/jwx/v2/jwk.ParseKey", "github.com/lestrrat-go/jwx/v2/jwk"},
		{"type:.eq.[7]github.com/go-openbadges/openbadges/credential.ob2Prop", "github.com/go-openbadges/openbadges/credential"},
		{"type:.eq.golang.org/x/text/internal/catmsg.Decoder", "golang.org/x/text/internal/catmsg"},
		{"go:itab.*reflect.rtype,reflect.Type", "reflect"},
		{"slices.SortFunc[go.shape.[]string,go.shape.string]", "slices"},
		{"crypto/internal/entropy/v1%2e0%2e0.Seed", "crypto/internal/entropy/v1%2e0%2e0"},
		{"gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml%2ev3"},
		{"runtime.mallocgc", "runtime"},
		{"memeqbody", "runtime"},
		{"runtime/cgo(.text)", "runtime/cgo"},
		{"go:func.*", ""},
		{"go:buildinfo", ""},
	}
	for _, tt := range tests {
		if got := packageOf(tt.sym); got != tt.want {
			t.Errorf("packageOf(%q) = %q, want %q", tt.sym, got, tt.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	mods := []string{"github.com/lestrrat-go/jwx/v2", "github.com/go-openbadges/openbadges", "golang.org/x/text"}
	tests := []struct{ pkg, want string }{
		{"github.com/lestrrat-go/jwx/v2/jwk", "github.com/lestrrat-go/jwx/v2"},
		{"github.com/go-openbadges/openbadges", "github.com/go-openbadges/openbadges"},
		{"github.com/go-openbadges/openbadgesx/y", Std}, // a prefix, not a path
		{"net/http", Std},
		{"vendor/golang.org/x/text/unicode/norm", Std},
	}
	for _, tt := range tests {
		if got := moduleOf(tt.pkg, mods); got != tt.want {
			t.Errorf("moduleOf(%q) = %q, want %q", tt.pkg, got, tt.want)
		}
	}
}

// TestMeasureStripped: this test binary, which go test links without a
// symbol table, is refused with ErrStripped rather than measured as all
// tables. (TestVerifyOnlySize measures a binary that has one.)
func TestMeasureStripped(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Measure reads ELF binaries")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MeasureFile(exe, nil); !errors.Is(err, ErrStripped) {
		t.Skipf("this test binary has a symbol table (go test -ldflags=...?): %v", err)
	}
}

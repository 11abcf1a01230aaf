package verify

import (
	"fmt"
	"testing"
)

// TestMessage holds message to fmt.Sprintf on the forms it shortcuts and
// on those it must not.
func TestMessage(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"every term is defined", nil},
		{"100%% sure", nil},
		{"%s", nil},
		{"%s", []any{"a JSON credential"}},
		{"%s", []any{"%d"}},
		{"%s", []any{3}},
		{"%s", []any{fmt.Errorf("wrapped")}},
		{"%v", []any{"x"}},
		{"%s, %s", []any{"a", "b"}},
		{"%s", []any{"a", "b"}},
		{"", nil},
	} {
		if got, want := message(c.format, c.args), fmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("message(%q, %v) = %q, want %q", c.format, c.args, got, want)
		}
	}
}

package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInlineContextLimits checks the limits a Loader reports for its
// options: the defaults for zero, none (-1) for a negative value.
func TestInlineContextLimits(t *testing.T) {
	for _, tc := range []struct {
		opts                 LoaderOptions
		wantBytes, wantTerms int
	}{
		{LoaderOptions{}, DefaultMaxInlineContextBytes, DefaultMaxInlineContextTerms},
		{LoaderOptions{MaxInlineContextBytes: 10, MaxInlineContextTerms: 2}, 10, 2},
		{LoaderOptions{MaxInlineContextBytes: -1}, -1, DefaultMaxInlineContextTerms},
		{LoaderOptions{MaxInlineContextBytes: -5, MaxInlineContextTerms: -7}, -1, -1},
	} {
		t.Run(fmt.Sprintf("%d,%d", tc.opts.MaxInlineContextBytes, tc.opts.MaxInlineContextTerms), func(t *testing.T) {
			gotBytes, gotTerms := newLoader(t, tc.opts).InlineContextLimits()
			if diff := cmp.Diff([2]int{tc.wantBytes, tc.wantTerms}, [2]int{gotBytes, gotTerms}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestInlineContextError: the error wraps ErrInlineContextLimit and tells
// a person which limit to raise, and how.
func TestInlineContextError(t *testing.T) {
	for _, tc := range []struct {
		err  *InlineContextError
		want []string
	}{
		{&InlineContextError{Limit: "MaxInlineContextBytes", Max: 65536, Size: 10485782},
			[]string{"10485782 bytes", "limit of 65536", "schema.LoaderOptions.MaxInlineContextBytes", "negative for no limit"}},
		{&InlineContextError{Limit: "MaxInlineContextTerms", Max: 1000, Size: 1001},
			[]string{"1001 term definitions", "limit of 1000", "schema.LoaderOptions.MaxInlineContextTerms"}},
	} {
		var err error = fmt.Errorf("context: %w", tc.err)
		if !errors.Is(err, ErrInlineContextLimit) {
			t.Errorf("%v does not wrap ErrInlineContextLimit", err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not say %q", err, w)
			}
		}
	}
}

package credential

import "github.com/go-openbadges/openbadges/internal/jsonobj"

// parsedDepth is the depth limit a tree given to CheckParsed was parsed
// with.
const parsedDepth = DefaultMaxDepth

// CheckParsed is Check for a document this module's packages have already
// parsed: t holds data parsed by jsonobj.ParseTree with a depth limit of
// DefaultMaxDepth (package verify parses a credential once for its JSON-LD,
// schema and rule checks). t is only read, and not kept. If t is nil, or
// opts asks for a smaller depth or size than t was parsed within, data is
// parsed again, as Check does.
func CheckParsed(data []byte, t *jsonobj.Tree, opts *CheckOptions) (*CheckResult, error) {
	return check(data, t, opts)
}

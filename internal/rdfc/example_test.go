package rdfc_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/go-openbadges/openbadges/internal/rdfc"
)

func ExampleCanonicalize() {
	// Two N-Quads documents of the same dataset: they differ only in blank
	// node labels, quad order and how the tab in the literal is escaped.
	docs := []string{
		`_:issuer <https://schema.org/name> "Example University" .
<urn:example:badge> <https://example.org/issuer> _:issuer .
<urn:example:badge> <https://example.org/image> _:img .
_:img <https://example.org/caption> "Logo\twith a tab"@en .
`,
		`<urn:example:badge> <https://example.org/image> _:x .
_:x <https://example.org/caption> "Logo\u0009with a tab"@en .
<urn:example:badge> <https://example.org/issuer> _:y .
_:y <https://schema.org/name> "Example University" .
`,
	}
	var canonical [][]byte
	for _, doc := range docs {
		quads, err := rdfc.ParseNQuads([]byte(doc))
		if err != nil {
			log.Fatal(err)
		}
		res, err := rdfc.Canonicalize(context.Background(), quads, rdfc.Options{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Issued)
		canonical = append(canonical, res.NQuads())
	}
	fmt.Printf("%s", canonical[0])
	fmt.Println("same canonical form:", bytes.Equal(canonical[0], canonical[1]))
	// Output:
	// map[img:c14n0 issuer:c14n1]
	// map[x:c14n0 y:c14n1]
	// <urn:example:badge> <https://example.org/image> _:c14n0 .
	// <urn:example:badge> <https://example.org/issuer> _:c14n1 .
	// _:c14n0 <https://example.org/caption> "Logo\twith a tab"@en .
	// _:c14n1 <https://schema.org/name> "Example University" .
	// same canonical form: true
}

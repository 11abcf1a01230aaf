package jcs_test

import (
	"fmt"

	"github.com/go-openbadges/openbadges/internal/jcs"
)

func ExampleTransform() {
	in := []byte(`{
		"type": "DataIntegrityProof",
		"created": "2023-02-24T23:36:38Z",
		"amount": 1.50E2,
		"note": "caf\u00e9 \/ \"quoted\""
	}`)
	out, err := jcs.Transform(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))

	_, err = jcs.Transform([]byte(`{"id": 1, "id": 2}`))
	fmt.Println(err)
	// Output:
	// {"amount":150,"created":"2023-02-24T23:36:38Z","note":"café / \"quoted\"","type":"DataIntegrityProof"}
	// jcs: duplicate object member name "id" (offset 10, JSON pointer "/id")
}

//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main says how this program is meant to be built: it runs only in a
// browser.
func main() {
	fmt.Fprintln(os.Stderr, "this is the verification page's WebAssembly program: build it with GOOS=js GOARCH=wasm, or run go run ./examples/verifier-web")
	os.Exit(2)
}

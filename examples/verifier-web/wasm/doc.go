// Command wasm is the verification page's WebAssembly program: package
// verify, compiled with GOOS=js GOARCH=wasm, running in the visitor's
// browser. It gives the page one object, openbadgesVerifier, whose methods
// verify a badge, answer "is this issued to me?" and fetch a badge from a
// link when the visitor allows the network; the page (../site) does the
// rest. Build it with
//
//	GOOS=js GOARCH=wasm go build -o verifier.wasm ./examples/verifier-web/wasm
//
// or let `go run ./examples/verifier-web` build the whole site.
package main

// Verifier-web is a verification page that runs entirely in the browser:
// drop a badge (a PNG or SVG with a credential baked in, a JSON credential,
// a VC-JWT, a PDF or HTML certificate that carries one), and package verify,
// compiled to WebAssembly, checks it on the visitor's own machine, offline
// unless they turn network access on. No credential ever leaves their
// browser.
//
//	go run ./examples/verifier-web                    # builds, serves on http://127.0.0.1:8080
//	go run ./examples/verifier-web -addr :9000        # another address
//	go run ./examples/verifier-web -out site/         # writes the static site, for any static host
//
// The site is five files: index.html, style.css, app.js (the page, in
// ./site), verifier.wasm (./wasm, built here with GOOS=js GOARCH=wasm) and
// Go's wasm_exec.js (from the Go installation). Run it from inside this
// repository (or its module), with the Go toolchain that builds the .wasm.
// See README.md for hosting and what the page never sends anywhere.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

// site is the page: index.html, style.css, app.js.
//
//go:embed site
var site embed.FS

// wasmPackage is the WebAssembly program's import path.
const wasmPackage = "github.com/go-openbadges/openbadges/examples/verifier-web/wasm"

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			log.Print("verifier-web: ", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("verifier-web", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: verifier-web [-addr HOST:PORT] [-out DIR]")
		fl.PrintDefaults()
	}
	addr := fl.String("addr", "127.0.0.1:8080", "serve the page at this address")
	out := fl.String("out", "", "write the static site into this folder and exit, instead of serving it")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 0 {
		fl.Usage()
		return errors.New("no arguments expected")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	dir := *out
	if dir == "" {
		tmp, err := os.MkdirTemp("", "verifier-web-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	fmt.Fprintln(stderr, "building verifier.wasm (GOOS=js GOARCH=wasm go build) …")
	if err := Build(ctx, dir); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(stdout, "wrote the site to %s: put its files on any static host\n", dir)
		return nil
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: Handler(dir), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(stdout, "the verification page is at http://%s/ (Ctrl-C stops)\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Build writes the static site into dir: the page's files, verifier.wasm
// built from ./wasm with GOOS=js GOARCH=wasm, and the wasm_exec.js of the
// Go toolchain that built it (the two must match). It needs the go command
// and a working directory inside this module.
func Build(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := fs.WalkDir(site, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := site.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, strings.TrimPrefix(p, "site/")), b, 0o644)
	})
	if err != nil {
		return err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the go command builds verifier.wasm: %w", err)
	}
	goroot, err := exec.CommandContext(ctx, goTool, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	var wasmExec []byte
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} { // Go 1.24 and later, before
		if wasmExec, err = os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), p)); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("wasm_exec.js: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), wasmExec, 0o644); err != nil {
		return err
	}
	wasm, err := filepath.Abs(filepath.Join(dir, "verifier.wasm"))
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, wasmPackage)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go build %s: %w\n%s(run it from inside the openbadges module)", wasmPackage, err, out)
	}
	return nil
}

// Handler serves the site in dir as any static host would, with the
// headers a host should add: the page's Content-Security-Policy (also in
// index.html), no MIME sniffing, and no caching, so that a rebuilt .wasm
// is the one loaded.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// ContentSecurityPolicy is the page's policy, the one index.html states:
// scripts and WebAssembly from the site only, connections only to the site
// and to https servers (the latter used only when the visitor turns the
// network on), no form submissions, frames only for the sandboxed
// certificate view.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; font-src data:; connect-src 'self' https:; frame-src 'self'; base-uri 'none'; form-action 'none'"

package binsize

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// VerifyOnly is the program the size limit is about: one that imports
// verify alone, builds a Verifier and verifies its input.
const VerifyOnly = `package main

import (
	"context"
	"fmt"
	"os"

	"github.com/go-openbadges/openbadges/verify"
)

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	v, err := verify.New(verify.Trust{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	r, err := v.Verify(context.Background(), b, nil)
	fmt.Println(r, err)
}
`

// Build writes src as a main package in a temporary directory and builds
// it with the go tool inside the module at moduleDir (so that the
// module's go.mod decides every version) into out, with extra build flags
// such as "-ldflags=-s -w". It returns the path of the source file, for
// Embedded.
func Build(ctx context.Context, goTool, moduleDir, src, out string, flags ...string) (string, error) {
	dir, err := os.MkdirTemp("", "binsize")
	if err != nil {
		return "", fmt.Errorf("binsize: %w", err)
	}
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		return "", fmt.Errorf("binsize: %w", err)
	}
	args := append([]string{"build", "-o", out}, flags...)
	args = append(args, main)
	if _, err := run(ctx, goTool, moduleDir, args...); err != nil {
		return "", err
	}
	return main, nil
}

// Embedded returns, for each package the program at mainFile depends on,
// the bytes of the files it embeds.
func Embedded(ctx context.Context, goTool, moduleDir, mainFile string) (map[string]int64, error) {
	out, err := run(ctx, goTool, moduleDir, "list", "-deps", "-json=ImportPath,Dir,EmbedFiles", mainFile)
	if err != nil {
		return nil, err
	}
	emb := map[string]int64{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Dir        string
			EmbedFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("binsize: go list: %w", err)
		}
		for _, f := range p.EmbedFiles {
			fi, err := os.Stat(filepath.Join(p.Dir, f))
			if err != nil {
				return nil, fmt.Errorf("binsize: %w", err)
			}
			emb[p.ImportPath] += fi.Size()
		}
	}
	return emb, nil
}

// Modules returns the modules (other than the standard library) whose
// packages the packages named by patterns import, directly or not,
// without the main module.
func Modules(ctx context.Context, goTool, moduleDir string, patterns ...string) ([]string, error) {
	args := append([]string{"list", "-deps", "-f", "{{if and (not .Standard) .Module (not .Module.Main)}}{{.Module.Path}}{{end}}"}, patterns...)
	out, err := run(ctx, goTool, moduleDir, args...)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var mods []string
	for _, l := range bytes.Fields(out) {
		if m := string(l); !seen[m] {
			seen[m] = true
			mods = append(mods, m)
		}
	}
	return mods, nil
}

func run(ctx context.Context, goTool, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, goTool, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("binsize: go %s: %w\n%s", args[0], err, stderr.Bytes())
	}
	return out, nil
}

// Package binsize measures what each module adds to a Go binary: the
// bytes of its functions and data, named by the ELF symbol table, and of
// the files it embeds. It serves the size tests and the sizetable command
// that keep a verify-only program small (issue 25).
package binsize

import (
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Std is the module name Report gives the standard library and the
// runtime's assembly.
const Std = "std"

// ErrStripped is returned for a binary without a symbol table (built with
// -ldflags=-s, as go test builds its test binaries): its bytes cannot be
// told apart.
var ErrStripped = errors.New("binsize: the binary has no symbol table (stripped)")

// Row is one module's share of a binary.
type Row struct {
	Module   string // module path, Std, or the main module's path
	Code     int64  // bytes of text symbols (functions)
	Data     int64  // bytes of rodata and data symbols that name the module
	Embedded int64  // bytes of files its packages embed (//go:embed)
}

// Total is Code + Data + Embedded.
func (r Row) Total() int64 { return r.Code + r.Data + r.Embedded }

// Report is a binary's size split by module.
type Report struct {
	File int64 // the file's size
	// Rows, largest Total first.
	Rows []Row
	// Tables is what no module's symbol names: the pclntab, type
	// descriptors, strings and other runtime tables, minus the embedded
	// files (which sit among the strings). It grows with the code.
	Tables int64
}

// Row returns the row of module, or a zero Row.
func (r *Report) Row(module string) Row {
	for _, x := range r.Rows {
		if x.Module == module {
			return x
		}
	}
	return Row{Module: module}
}

// Measure reads the ELF binary f (size bytes long) and splits its
// allocated bytes by module. embedded maps a package's import path to the
// bytes of the files it embeds (go list's EmbedFiles, statted); nil is
// none.
func Measure(f io.ReaderAt, size int64, embedded map[string]int64) (*Report, error) {
	bi, err := buildinfo.Read(f)
	if err != nil {
		return nil, fmt.Errorf("binsize: build info: %w", err)
	}
	mods := []string{bi.Main.Path}
	for _, d := range bi.Deps {
		mods = append(mods, d.Path)
	}
	// Longest module path first, so that a nested module wins.
	slices.SortFunc(mods, func(a, b string) int { return cmp.Compare(len(b), len(a)) })

	ef, err := elf.NewFile(f)
	if err != nil {
		return nil, fmt.Errorf("binsize: %w", err)
	}
	syms, err := ef.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		return nil, ErrStripped
	}
	if err != nil {
		return nil, fmt.Errorf("binsize: symbols: %w", err)
	}
	rows := map[string]*Row{}
	row := func(m string) *Row {
		if rows[m] == nil {
			rows[m] = &Row{Module: m}
		}
		return rows[m]
	}
	var alloc, named int64
	for _, s := range ef.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Type != elf.SHT_NOBITS {
			alloc += int64(s.Size)
		}
	}
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF || int(s.Section) >= len(ef.Sections) || s.Size == 0 {
			continue
		}
		sec := ef.Sections[s.Section]
		if sec.Type == elf.SHT_NOBITS || sec.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		pkg := packageOf(s.Name)
		if pkg == "" {
			continue // a container such as go:func.*: counted in Tables
		}
		m := moduleOf(pkg, mods)
		r := row(m)
		if sec.Flags&elf.SHF_EXECINSTR != 0 {
			r.Code += int64(s.Size)
		} else {
			r.Data += int64(s.Size)
		}
		named += int64(s.Size)
	}
	var emb int64
	for pkg, n := range embedded {
		row(moduleOf(pkg, mods)).Embedded += n
		emb += n
	}
	rep := &Report{File: size, Tables: alloc - named - emb}
	for _, r := range rows {
		rep.Rows = append(rep.Rows, *r)
	}
	slices.SortFunc(rep.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(b.Total(), a.Total()), strings.Compare(a.Module, b.Module))
	})
	return rep, nil
}

// MeasureFile is Measure of the binary at path.
func MeasureFile(path string, embedded map[string]int64) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("binsize: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("binsize: %w", err)
	}
	return Measure(f, fi.Size(), embedded)
}

// packageOf returns the import path of the package a Go symbol belongs
// to, or "" for a symbol no package owns (a linker container, a C symbol).
func packageOf(name string) string {
	for _, p := range []string{"type:.eq.", "type:.hash.", "type:", "go:itab."} {
		if strings.HasPrefix(name, p) {
			name = name[len(p):]
			break
		}
	}
	if strings.HasPrefix(name, "go:") {
		return ""
	}
	// The type of an array or pointer, as in type:.eq.[7]pkg.T.
	name = strings.TrimLeft(name, "*[]0123456789")
	if i := strings.IndexAny(name, "[,"); i >= 0 {
		name = name[:i] // generic arguments, an itab's interface
	}
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return "runtime" // assembly and C helpers such as memeqbody
	}
	pkg := name[:slash+1+dot]
	if i := strings.IndexByte(pkg, '('); i >= 0 {
		pkg = pkg[:i] // runtime/cgo(.text)
	}
	return pkg
}

// moduleOf returns the module of pkg among mods (longest first), or Std.
func moduleOf(pkg string, mods []string) string {
	for _, m := range mods {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return m
		}
	}
	return Std
}

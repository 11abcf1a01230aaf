// Command sizetable prints what each module adds to a program that
// imports verify alone, as a Markdown table, and with -base the same for
// another checkout of the module beside it (before and after a change).
//
//	go run ./internal/binsize/sizetable [-base /path/to/other/checkout]
//
// Sizes are of the default (unstripped) build; the stripped size
// (-ldflags=-s -w) is given below the table. A module's bytes are those of
// the functions and data its symbols name, plus the files its packages
// embed; "tables" is the rest (pclntab, type data, strings), which grows
// with the code.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-openbadges/openbadges/internal/binsize"
)

func main() {
	base := flag.String("base", "", "a second checkout of the module to compare with (before)")
	flag.Parse()
	if err := run(context.Background(), *base); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type measured struct {
	rep      *binsize.Report
	stripped int64
}

func measure(ctx context.Context, dir, tmp string) (*measured, error) {
	out := filepath.Join(tmp, "v")
	main, err := binsize.Build(ctx, "go", dir, binsize.VerifyOnly, out)
	if err != nil {
		return nil, err
	}
	emb, err := binsize.Embedded(ctx, "go", dir, main)
	if err != nil {
		return nil, err
	}
	rep, err := binsize.MeasureFile(out, emb)
	if err != nil {
		return nil, err
	}
	if _, err := binsize.Build(ctx, "go", dir, binsize.VerifyOnly, out+"s", "-ldflags=-s -w"); err != nil {
		return nil, err
	}
	fi, err := os.Stat(out + "s")
	if err != nil {
		return nil, err
	}
	return &measured{rep, fi.Size()}, nil
}

func run(ctx context.Context, base string) error {
	tmp, err := os.MkdirTemp("", "sizetable")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	after, err := measure(ctx, ".", filepath.Join(tmp, "after-"))
	if err != nil {
		return err
	}
	if base == "" {
		fmt.Println("| module | code | data | embedded | total |")
		fmt.Println("|---|--:|--:|--:|--:|")
		for _, r := range after.rep.Rows {
			fmt.Printf("| %s | %s | %s | %s | %s |\n", r.Module, kb(r.Code), kb(r.Data), kb(r.Embedded), kb(r.Total()))
		}
		fmt.Printf("| tables (pclntab, types, strings) | | | | %s |\n", kb(after.rep.Tables))
		fmt.Printf("\nfile: %s unstripped, %s stripped (-ldflags=-s -w)\n", mb(after.rep.File), mb(after.stripped))
		return nil
	}
	before, err := measure(ctx, base, filepath.Join(tmp, "before-"))
	if err != nil {
		return err
	}
	var mods []string
	for _, r := range append(slices.Clone(before.rep.Rows), after.rep.Rows...) {
		if !slices.Contains(mods, r.Module) {
			mods = append(mods, r.Module)
		}
	}
	fmt.Println("| module | before | after | change |")
	fmt.Println("|---|--:|--:|--:|")
	for _, m := range mods {
		b, a := before.rep.Row(m).Total(), after.rep.Row(m).Total()
		fmt.Printf("| %s | %s | %s | %s |\n", m, kb(b), kb(a), kb(a-b))
	}
	fmt.Printf("| tables (pclntab, types, strings) | %s | %s | %s |\n", kb(before.rep.Tables), kb(after.rep.Tables), kb(after.rep.Tables-before.rep.Tables))
	fmt.Printf("| **file, unstripped** | %s | %s | %s |\n", mb(before.rep.File), mb(after.rep.File), mb(after.rep.File-before.rep.File))
	fmt.Printf("| file, stripped | %s | %s | %s |\n", mb(before.stripped), mb(after.stripped), mb(after.stripped-before.stripped))
	return nil
}

func kb(n int64) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1e3)
}

func mb(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

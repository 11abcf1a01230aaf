package browsertest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// synthetic returns a w by h PNG, white, with the first n pixels (in reading
// order) painted c.
func synthetic(t *testing.T, w, h, n int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w * h {
		x, y := i%w, i/w
		if i < n {
			img.SetRGBA(x, y, c)
		} else {
			img.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCompare(t *testing.T) {
	red := color.RGBA{255, 0, 0, 255}
	nearWhite := color.RGBA{255 - ChannelThreshold, 255, 255, 255}
	justOver := color.RGBA{255 - ChannelThreshold - 1, 255, 255, 255}
	white := synthetic(t, 10, 10, 0, red)
	tests := []struct {
		name string
		a, b []byte
		want float64
	}{
		{"identical", white, white, 0},
		{"one in a hundred", white, synthetic(t, 10, 10, 1, red), 0.01},
		{"a quarter", synthetic(t, 10, 10, 25, red), white, 0.25},
		{"within the threshold", white, synthetic(t, 10, 10, 100, nearWhite), 0},
		{"just over the threshold", white, synthetic(t, 10, 10, 100, justOver), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compare(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Compare = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	white := synthetic(t, 10, 10, 0, color.RGBA{})
	tests := []struct {
		name string
		a, b []byte
		want string
	}{
		{"sizes", white, synthetic(t, 10, 11, 0, color.RGBA{}), "sizes differ: 10x10 and 10x11"},
		{"not a PNG", white, []byte("GIF89a"), "second image"},
		{"empty input", nil, white, "first image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare(tt.a, tt.b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compare error = %v, want one with %q", err, tt.want)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	t.Setenv(EnvUpdateGolden, "")
	// Golden keeps the images of a mismatch in a new folder under TMPDIR;
	// let this test's own temporary folder take them.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	red := color.RGBA{255, 0, 0, 255}
	golden := filepath.Join(t.TempDir(), "golden.png")
	want := synthetic(t, 20, 10, 0, red)
	if err := os.WriteFile(golden, want, 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("identical", func(t *testing.T) {
		Golden(t, golden, want, 0)
	})
	t.Run("within tolerance", func(t *testing.T) {
		Golden(t, golden, synthetic(t, 20, 10, 2, red), 0.01)
	})
	t.Run("beyond tolerance", func(t *testing.T) {
		got := synthetic(t, 20, 10, 3, red)
		f := runFake(t, func(tb testing.TB) { Golden(tb, golden, got, 0.01) })
		if !f.Failed() {
			t.Fatal("Golden passed 1.5% of the pixels differing with a tolerance of 1%")
		}
		if e := f.errors(); !strings.Contains(e, "1.5000% of the pixels differ") {
			t.Errorf("Golden failed with %q, want the fraction", e)
		}
		// The got image and the differences are kept.
		kept, _ := filepath.Glob(filepath.Join(tmp, "browsertest-golden-*", "*"))
		var gotKept, diffKept []byte
		for _, p := range kept {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			switch filepath.Base(p) {
			case "got-golden.png":
				gotKept = b
			case "diff-golden.png":
				diffKept = b
			}
			if !strings.Contains(f.logged(), p) {
				t.Errorf("Golden did not log the path %s; logged %q", p, f.logged())
			}
		}
		if !bytes.Equal(gotKept, got) {
			t.Errorf("the kept got image is not the image got (files: %v)", kept)
		}
		img, err := png.Decode(bytes.NewReader(diffKept))
		if err != nil {
			t.Fatalf("the kept diff image: %v (files: %v)", err, kept)
		}
		for i, wantRed := range []bool{true, true, true, false} {
			r, g, b, _ := img.At(i, 0).RGBA()
			if isRed := r == 0xffff && g == 0 && b == 0; isRed != wantRed {
				t.Errorf("diff pixel %d,0 is %v,%v,%v; red: %v, want %v", i, r>>8, g>>8, b>>8, isRed, wantRed)
			}
		}
	})
	t.Run("size", func(t *testing.T) {
		f := runFake(t, func(tb testing.TB) { Golden(tb, golden, synthetic(t, 20, 11, 0, red), 1) })
		if e := f.errors(); !f.Failed() || !strings.Contains(e, "sizes differ") {
			t.Errorf("Golden of another size: failed %v with %q, want a failure for the sizes", f.Failed(), e)
		}
	})
	t.Run("missing", func(t *testing.T) {
		f := runFake(t, func(tb testing.TB) { Golden(tb, filepath.Join(tmp, "none.png"), want, 0) })
		if e := f.errors(); !f.Failed() || !strings.Contains(e, EnvUpdateGolden+"=1") {
			t.Errorf("Golden with no golden file: failed %v with %q, want how to make it", f.Failed(), e)
		}
	})
	t.Run("update", func(t *testing.T) {
		t.Setenv(EnvUpdateGolden, "1")
		path := filepath.Join(t.TempDir(), "testdata", "new.png")
		got := synthetic(t, 20, 10, 7, red)
		f := runFake(t, func(tb testing.TB) { Golden(tb, path, got, 0) })
		if f.Failed() {
			t.Fatalf("Golden failed: %s", f.errors())
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, got) {
			t.Errorf("Golden did not write the image got to %s: %v", path, err)
		}
		if !strings.Contains(f.logged(), path) {
			t.Errorf("Golden logged %q, want the path", f.logged())
		}
	})
}

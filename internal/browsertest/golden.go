package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// ChannelThreshold is how much (of 255) one channel of a pixel may differ
// between two images before Compare counts the pixel as different: enough to
// forgive anti-aliasing and rounding, not a changed colour or glyph.
const ChannelThreshold = 48

// Compare decodes the PNGs a and b and returns the fraction, from 0 to 1, of
// their pixels that differ by more than ChannelThreshold in any of red, green,
// blue or alpha. Images of different sizes are an error.
func Compare(a, b []byte) (fraction float64, err error) {
	fraction, _, err = compare(a, b)
	return fraction, err
}

// compare is Compare that also returns an image of the differences: the
// pixels that differ in red, on a faded copy of b.
func compare(a, b []byte) (float64, *image.NRGBA, error) {
	ia, err := decodePNG(a)
	if err != nil {
		return 0, nil, fmt.Errorf("first image: %w", err)
	}
	ib, err := decodePNG(b)
	if err != nil {
		return 0, nil, fmt.Errorf("second image: %w", err)
	}
	if ia.Rect.Size() != ib.Rect.Size() {
		return 0, nil, fmt.Errorf("sizes differ: %dx%d and %dx%d",
			ia.Rect.Dx(), ia.Rect.Dy(), ib.Rect.Dx(), ib.Rect.Dy())
	}
	w, h := ia.Rect.Dx(), ia.Rect.Dy()
	diff := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == 0 || h == 0 {
		return 0, diff, nil
	}
	differ := 0
	for y := range h {
		pa := ia.Pix[y*ia.Stride : y*ia.Stride+4*w]
		pb := ib.Pix[y*ib.Stride : y*ib.Stride+4*w]
		pd := diff.Pix[y*diff.Stride : y*diff.Stride+4*w]
		for x := 0; x < 4*w; x += 4 {
			if farApart(pa[x:x+4], pb[x:x+4]) {
				differ++
				copy(pd[x:x+4], []byte{255, 0, 0, 255})
				continue
			}
			// A faded grey of b, to show where the red is.
			grey := (int(pb[x])*299 + int(pb[x+1])*587 + int(pb[x+2])*114) / 1000
			g := byte(191 + grey/4)
			copy(pd[x:x+4], []byte{g, g, g, 255})
		}
	}
	return float64(differ) / float64(w*h), diff, nil
}

// farApart reports whether two NRGBA pixels differ by more than
// ChannelThreshold in any channel.
func farApart(a, b []byte) bool {
	for i := range 4 {
		d := int(a[i]) - int(b[i])
		if d > ChannelThreshold || d < -ChannelThreshold {
			return true
		}
	}
	return false
}

// decodePNG decodes a PNG into non-premultiplied RGBA with its origin at 0,0.
func decodePNG(p []byte) (*image.NRGBA, error) {
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		return nil, err
	}
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n, nil
	}
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Rect, img, b.Min, draw.Src)
	return n, nil
}

// Golden compares the PNG got with the golden PNG at path (keep it in the
// test's testdata/): they must be the same size, and at most the fraction
// tolerance of their pixels may differ (see Compare). On a mismatch it writes
// got and an image of the differences (in red) to a new temporary folder that
// it keeps for inspection, logs their paths, and fails the test. A missing
// golden file fails the test with how to make it.
//
// With OPENBADGES_UPDATE_GOLDEN=1 Golden writes got to path instead, and logs
// it: look at the image before committing it.
func Golden(t testing.TB, path string, got []byte, tolerance float64) {
	t.Helper()
	if os.Getenv(EnvUpdateGolden) == "1" {
		if _, err := decodePNG(got); err != nil {
			t.Fatalf("browsertest: not writing golden %s: the image is not a PNG: %v", path, err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		t.Logf("browsertest: wrote golden %s (%s=1); look at it before committing it", path, EnvUpdateGolden)
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("browsertest: no golden image %s; make it with %s=1 go test -run '^%s$' and look at it before committing it",
			path, EnvUpdateGolden, t.Name())
	}
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	fraction, diff, err := compare(want, got)
	if err == nil && fraction <= tolerance {
		return
	}
	dir, derr := os.MkdirTemp("", "browsertest-golden-")
	if derr != nil {
		t.Errorf("browsertest: keeping the images for inspection: %v", derr)
	} else {
		base := filepath.Base(path)
		gotPath := filepath.Join(dir, "got-"+base)
		if werr := os.WriteFile(gotPath, got, 0o644); werr != nil {
			t.Errorf("browsertest: %v", werr)
		} else {
			t.Logf("browsertest: the image got: %s", gotPath)
		}
		if diff != nil {
			diffPath := filepath.Join(dir, "diff-"+base)
			if werr := writePNG(diffPath, diff); werr != nil {
				t.Errorf("browsertest: %v", werr)
			} else {
				t.Logf("browsertest: the differences, in red: %s", diffPath)
			}
		}
	}
	if err != nil {
		t.Fatalf("browsertest: image does not match golden %s: %v (%s=1 rewrites it)", path, err, EnvUpdateGolden)
	}
	t.Fatalf("browsertest: image does not match golden %s: %.4f%% of the pixels differ, more than the %.4f%% allowed (%s=1 rewrites it)",
		path, 100*fraction, 100*tolerance, EnvUpdateGolden)
}

// writePNG encodes img as a PNG file at path.
func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

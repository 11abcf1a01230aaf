package bake

import "testing"

// BenchmarkExtract reads the 1EdTech fixtures: an 84 KB PNG (credential
// before IEND, so every chunk is CRC-checked) and a 4 KB SVG.
func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"simple-json.png", "simple-json.svg"} {
		img := readFile(b, "testdata/validator/"+name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(img)))
			for b.Loop() {
				if _, err := Extract(img, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBake bakes a VC-JWT into the same images, replacing theirs.
func BenchmarkBake(b *testing.B) {
	cred := jwsCredential(b)
	for _, name := range []string{"simple-json.png", "simple-json.svg"} {
		img := readFile(b, "testdata/validator/"+name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(img)))
			for b.Loop() {
				if _, err := Bake(img, cred, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package credential

import (
	"testing"
)

// benchDocs are the documents the benchmarks use: the 1EdTech validator's
// simple.json (1.5 KB, what most badges look like) and complete.json (25 KB:
// every class, five nested endorsements, results, evidence).
var benchDocs = []struct{ name, path string }{
	{"typical", "testdata/validator/ob30/simple.json"},
	{"complete", "testdata/validator/ob30/complete.json"},
}

// benchEach runs f as a sub-benchmark for each document.
func benchEach(b *testing.B, f func(b *testing.B, data []byte)) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			data := readFile(b, d.path)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			f(b, data)
		})
	}
}

func BenchmarkParse(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := ParseAchievementCredential(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMarshal(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		c, err := ParseAchievementCredential(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		c, err := ParseAchievementCredential(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := c.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCheck is the whole static check: parse, JSON Schema, rules. The
// schemas are compiled once, before the loop.
func BenchmarkCheck(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		if _, err := Check(data, nil); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := Check(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCheckDataModel is the W3C VC data model rules alone.
func BenchmarkCheckDataModel(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		for b.Loop() {
			if _, err := CheckDataModel(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package credential

import (
	"testing"
)

// benchDoc is the 1EdTech validator's complete.json (25 KB): every class,
// five nested endorsements, results, evidence.
const benchDoc = "testdata/validator/ob30/complete.json"

// typicalDoc is the 1EdTech validator's simple.json (1.5 KB): what most
// badges look like.
const typicalDoc = "testdata/validator/ob30/simple.json"

func BenchmarkParse(b *testing.B) {
	data := readFile(b, benchDoc)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAchievementCredential(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	c, err := ParseAchievementCredential(readFile(b, benchDoc), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	c, err := ParseAchievementCredential(readFile(b, benchDoc), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the whole static check: parse, JSON Schema, rules.
func BenchmarkCheck(b *testing.B) {
	data := readFile(b, benchDoc)
	if _, err := Check(data, nil); err != nil { // compile the schemas outside the loop
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTypical(b *testing.B) {
	data := readFile(b, typicalDoc)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAchievementCredential(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckTypical(b *testing.B) {
	data := readFile(b, typicalDoc)
	if _, err := Check(data, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

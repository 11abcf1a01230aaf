package jcs

import (
	"encoding/json"
	"testing"
)

// BenchmarkTransform measures the W3C unsigned credential (pretty-printed,
// members out of order), the same document already canonical (nothing to
// move), and Append into a reused buffer. BenchmarkEncodingJSON is a
// yardstick only: an encoding/json decode into any and encode back, which
// sorts by UTF-8 bytes and is not JCS.
func BenchmarkTransform(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{"unsigned", "unsigned.json"},
		{"canonical", "canonDocJCS.txt"},
	} {
		data := readTestdata(b, bc.file)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Transform(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	data := readTestdata(b, "unsigned.json")
	b.Run("unsigned-append-reuse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = Append(buf[:0], data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodingJSON(b *testing.B) {
	data := readTestdata(b, "unsigned.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

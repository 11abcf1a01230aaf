package bake

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// Credentials the tests bake: read from the 1EdTech fixtures' expected
// extractions, so they are real.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jwsCredential(t testing.TB) []byte {
	return readFile(t, "testdata/validator/expected/simple-jwt.png.credential")
}

func jsonCredential(t testing.TB) []byte {
	return readFile(t, "testdata/validator/expected/simple-json.png.credential")
}

// newPNG encodes a small RGBA image with image/png.
func newPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 17)
	}
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// chunk encodes one PNG chunk with a correct CRC.
func chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// iTXt builds iTXt chunk data; compressed text is deflated with zlib.
func iTXt(keyword string, flag, method byte, lang, translated string, text []byte) []byte {
	d := append([]byte(keyword), 0, flag, method)
	d = append(d, lang...)
	d = append(d, 0)
	d = append(d, translated...)
	d = append(d, 0)
	if flag == 1 {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(text)
		zw.Close()
		text = buf.Bytes()
	}
	return append(d, text...)
}

// chunksOf splits a well-formed PNG into its raw chunks, IHDR to IEND.
func chunksOf(t testing.TB, img []byte) (raw [][]byte, types []string) {
	t.Helper()
	err := pngChunks(img, func(c pngChunk) error {
		raw = append(raw, img[c.off:c.end])
		types = append(types, c.typ)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw, types
}

// withChunks rebuilds a PNG from base's chunks with extra chunks inserted
// before IEND or, if afterIHDR, after IHDR.
func withChunks(t testing.TB, base []byte, afterIHDR bool, extra ...[]byte) []byte {
	t.Helper()
	raw, _ := chunksOf(t, base)
	out := append([]byte(nil), pngSignature...)
	for i, c := range raw {
		if !afterIHDR && i == len(raw)-1 {
			for _, e := range extra {
				out = append(out, e...)
			}
		}
		out = append(out, c...)
		if afterIHDR && i == 0 {
			for _, e := range extra {
				out = append(out, e...)
			}
		}
	}
	return out
}

// textChunks lists the keywords of a PNG's text chunks, as "type:keyword".
func textChunks(t testing.TB, img []byte) []string {
	t.Helper()
	var out []string
	err := pngChunks(img, func(c pngChunk) error {
		if kw, _, ok := textKeyword(c); ok {
			out = append(out, c.typ+":"+kw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// errorClass names the class of an error the package returns, for tables.
func errorClass(err error) string {
	var ie *ImageError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrDTD):
		return "dtd"
	case errors.Is(err, ErrSizeLimit):
		return "too large"
	case errors.Is(err, ErrNotBaked):
		return "not baked"
	case errors.Is(err, ErrUnknownFormat):
		return "unknown format"
	case errors.Is(err, ErrMultiple):
		return "multiple"
	case errors.As(err, &ie):
		return "image"
	case errors.Is(err, ErrNotCredential):
		return "not credential"
	}
	return "other"
}

package bake

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf8"
)

// pngChunk is one chunk of a PNG datastream; its bytes are
// img[off:end], data is the chunk data.
type pngChunk struct {
	typ      string
	off, end int
	data     []byte
}

// maxChunkLength is the largest chunk length PNG allows (2^31-1).
const maxChunkLength = 1<<31 - 1

// pngChunks calls fn for each chunk of img from IHDR to IEND inclusive,
// after checking its framing and CRC, and stops early if fn returns an
// error. Bytes after IEND are never read.
func pngChunks(img []byte, fn func(c pngChunk) error) error {
	if !bytes.HasPrefix(img, pngSignature) {
		reason := "the PNG signature is damaged"
		if bytes.HasPrefix(img, []byte("\x89PNG\r\r\n")) || bytes.HasPrefix(img, []byte("\x89PNG\n")) {
			reason += " (line ends were converted: the file was copied as text)"
		}
		return &ImageError{Format: FormatPNG, Offset: 0, Reason: reason}
	}
	off := len(pngSignature)
	for first := true; ; first = false {
		if len(img)-off < 12 {
			reason := "truncated: no IEND chunk"
			if off < len(img) {
				reason = "truncated chunk header"
			}
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: reason}
		}
		n := binary.BigEndian.Uint32(img[off:])
		typ := img[off+4 : off+8]
		if n > maxChunkLength {
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: fmt.Sprintf("chunk length %d is larger than PNG allows", n)}
		}
		for _, c := range typ {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return &ImageError{Format: FormatPNG, Offset: int64(off + 4), Reason: fmt.Sprintf("invalid chunk type %q", typ)}
			}
		}
		if uint64(len(img)-off-12) < uint64(n) {
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: fmt.Sprintf("truncated %s chunk: %d data bytes declared, %d present", typ, n, max(len(img)-off-12, 0))}
		}
		end := off + 12 + int(n)
		data := img[off+8 : end-4]
		want := binary.BigEndian.Uint32(img[end-4:])
		if got := crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, data); got != want {
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: fmt.Sprintf("%s chunk CRC is %08x, the data's is %08x", typ, want, got)}
		}
		c := pngChunk{typ: string(typ), off: off, end: end, data: data}
		if first && (c.typ != "IHDR" || n != 13) {
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: fmt.Sprintf("the first chunk is %s, not a 13-byte IHDR", typ)}
		}
		if c.typ == "IEND" && n != 0 {
			return &ImageError{Format: FormatPNG, Offset: int64(off), Reason: "IEND chunk has data"}
		}
		if err := fn(c); err != nil {
			return err
		}
		if c.typ == "IEND" {
			return nil
		}
		off = end
	}
}

// textKeyword returns the keyword of a tEXt, zTXt or iTXt chunk and the
// bytes after its NUL separator; ok is false for other chunks and for a
// chunk with no separator in the first 80 bytes.
func textKeyword(c pngChunk) (keyword string, rest []byte, ok bool) {
	switch c.typ {
	case "tEXt", "zTXt", "iTXt":
	default:
		return "", nil, false
	}
	i := bytes.IndexByte(c.data[:min(len(c.data), 80)], 0)
	if i < 0 {
		return "", nil, false
	}
	return string(c.data[:i]), c.data[i+1:], true
}

// iTXtText returns the text of an iTXt chunk (rest is what follows its
// keyword), inflating it if it is compressed, no further than max bytes.
func iTXtText(c pngChunk, rest []byte, max int) ([]byte, error) {
	bad := func(reason string, err error) error {
		return &ImageError{Format: FormatPNG, Offset: int64(c.off), Reason: "iTXt chunk: " + reason, Err: err}
	}
	if len(rest) < 2 {
		return nil, bad("truncated before the compression flag", nil)
	}
	flag, method := rest[0], rest[1]
	rest = rest[2:]
	if flag > 1 {
		return nil, bad(fmt.Sprintf("compression flag is %d, not 0 or 1", flag), nil)
	}
	if flag == 1 && method != 0 {
		return nil, bad(fmt.Sprintf("unknown compression method %d", method), nil)
	}
	for _, field := range []string{"language tag", "translated keyword"} {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, bad("no NUL after the "+field, nil)
		}
		if !utf8.Valid(rest[:i]) {
			return nil, bad("the "+field+" is not UTF-8", nil)
		}
		rest = rest[i+1:]
	}
	if flag == 0 {
		if len(rest) > max {
			return nil, fmt.Errorf("%w: the baked credential is %d bytes, more than the limit of %d", ErrSizeLimit, len(rest), max)
		}
		return rest, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(rest))
	if err != nil {
		return nil, bad("compressed text", err)
	}
	text, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
	if err != nil {
		return nil, bad("compressed text", err)
	}
	if len(text) > max {
		return nil, fmt.Errorf("%w: the baked credential inflates to more than the limit of %d bytes", ErrSizeLimit, max)
	}
	return text, nil // io.ReadAll read to the end, which checked the zlib checksum
}

// latin1ToUTF8 converts tEXt text (ISO 8859-1) to UTF-8.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// extractPNG reads the openbadgecredential iTXt chunk or, when there is
// none, the OB 2.0 openbadges chunk. An image with more than one chunk of
// either keyword (of the kind it would read) is refused with ErrMultiple.
func extractPNG(img []byte, opts *Options) (*Baked, error) {
	var (
		cred, legacy       *Baked
		credErr, legacyErr error
		textOnly           string     // a tEXt or zTXt chunk with the OB 3.0 keyword
		ob3, ob2           []pngChunk // the chunks with each keyword, in order
	)
	max := opts.maxCredential()
	err := pngChunks(img, func(c pngChunk) error {
		kw, rest, ok := textKeyword(c)
		if !ok {
			return nil
		}
		switch {
		case kw == PNGKeyword:
			// Count every text chunk with the keyword: readers differ in
			// which chunk types they read (the 1EdTech validator reads tEXt
			// and zTXt too) and in which of two they take.
			ob3 = append(ob3, c)
			if len(ob3) > 1 {
				return multiplePNG(ob3, PNGKeyword)
			}
			if c.typ != "iTXt" {
				textOnly = c.typ
				return nil
			}
			text, err := iTXtText(c, rest, max)
			if err == nil {
				cred, err = found(FormatPNG, text, false, opts)
			}
			credErr = atChunk(err, c)
		case kw == legacyKeyword && c.typ != "zTXt": // OB 2.0 never used zTXt
			ob2 = append(ob2, c)
			if len(ob2) > 1 {
				return nil // an error only if there is no OB 3.0 chunk
			}
			var text []byte
			var err error
			if c.typ == "iTXt" {
				text, err = iTXtText(c, rest, max)
			} else {
				text = latin1ToUTF8(rest)
			}
			if err == nil {
				legacy, err = found(FormatPNG, text, true, opts)
			}
			legacyErr = atChunk(err, c)
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case cred != nil || credErr != nil:
		return cred, credErr
	case len(ob2) > 1:
		return nil, multiplePNG(ob2, legacyKeyword)
	case legacy != nil || legacyErr != nil:
		return legacy, legacyErr
	case textOnly != "":
		return nil, fmt.Errorf("%w: the PNG has a %s chunk with keyword %s, but OB 3.0 requires an iTXt chunk", ErrNotBaked, textOnly, PNGKeyword)
	}
	return nil, fmt.Errorf("%w: the PNG has no iTXt chunk with keyword %s", ErrNotBaked, PNGKeyword)
}

// multiplePNG is the error for a PNG with two chunks (the first two of
// chunks) with keyword kw.
func multiplePNG(chunks []pngChunk, kw string) error {
	first, second := chunks[0], chunks[1]
	return &ImageError{
		Format: FormatPNG,
		Offset: int64(second.off),
		Reason: fmt.Sprintf("two chunks with keyword %s (%s at byte %d, %s at byte %d)", kw, first.typ, first.off, second.typ, second.off),
		Err:    ErrMultiple,
	}
}

// atChunk gives an *ImageError without an offset the offset of chunk c.
func atChunk(err error, c pngChunk) error {
	var ie *ImageError
	if errors.As(err, &ie) && ie.Offset < 0 {
		ie.Offset = int64(c.off)
	}
	return err
}

// PNG returns a copy of img, a PNG image, with credential baked into an
// uncompressed iTXt chunk with keyword openbadgecredential placed directly
// after IHDR. Chunks that already carry that keyword (and, unless
// opts.KeepLegacy, the OB 2.0 keyword openbadges) are removed; every other
// chunk is copied byte for byte, and bytes after IEND are dropped. The
// credential must be a JSON object or a compact JWS; surrounding whitespace
// and a leading byte order mark are dropped and the rest is baked exactly.
func PNG(img, credential []byte, opts *Options) ([]byte, error) {
	if f, err := detect(img, opts); err != nil {
		return nil, err
	} else if f != FormatPNG {
		return nil, &ImageError{Format: FormatPNG, Offset: 0, Reason: "not a PNG image (it looks like " + f.String() + ")"}
	}
	cred, _, err := prepare(credential, opts)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(img)+len(cred)+64)
	out = append(out, pngSignature...)
	err = pngChunks(img, func(c pngChunk) error {
		if kw, _, ok := textKeyword(c); ok && (kw == PNGKeyword || kw == legacyKeyword && !opts.keepLegacy()) {
			return nil
		}
		out = append(out, img[c.off:c.end]...)
		if c.typ == "IHDR" {
			out = appendITXt(out, PNGKeyword, cred)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if max := opts.maxImage(); len(out) > max {
		return nil, fmt.Errorf("%w: the baked image would be %d bytes, more than the limit of %d", ErrSizeLimit, len(out), max)
	}
	return out, nil
}

// appendITXt appends an uncompressed iTXt chunk with empty language tag and
// translated keyword.
func appendITXt(out []byte, keyword string, text []byte) []byte {
	n := len(keyword) + 5 + len(text)
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	start := len(out)
	out = append(out, "iTXt"...)
	out = append(out, keyword...)
	out = append(out, 0, 0, 0, 0, 0) // NUL, flag, method, empty language tag, empty translated keyword
	out = append(out, text...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

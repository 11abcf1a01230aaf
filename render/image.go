package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// image returns an image to embed: a data: URI in the credential, or an
// https image the Config's Fetcher brings; nil otherwise. alt is used when
// the image has no caption.
func (b *builder) image(v any, alt string) *Image {
	var id, caption string
	switch v := v.(type) {
	case string:
		id = v
	case obj:
		id, caption = str(v["id"]), b.text(v["caption"], maxName)
	default:
		return nil
	}
	img, err := loadImage(b.ctx, b.r.cfg.Fetcher, id)
	if err != nil || img == nil {
		return nil
	}
	img.Alt = firstNonEmpty(caption, alt)
	return img
}

// imageURL returns the https URL an image names, else "".
func imageURL(v any) string {
	id := str(v)
	if m, ok := v.(obj); ok {
		id = str(m["id"])
	}
	if strings.HasPrefix(id, "https://") {
		return webURL(id)
	}
	return ""
}

// imageTypes are the image media types a certificate embeds.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true,
	"image/webp": true, "image/svg+xml": true}

// loadImage reads a data: URI, or fetches an https URL when f is set.
func loadImage(ctx context.Context, f interface {
	Fetch(context.Context, string) ([]byte, error)
}, id string) (*Image, error) {
	switch {
	case strings.HasPrefix(id, "data:"):
		return decodeDataURI(id)
	case strings.HasPrefix(id, "https://") && f != nil:
		data, err := f.Fetch(ctx, id)
		if err != nil {
			return nil, err
		}
		return newImage(data)
	}
	return nil, nil
}

// decodeDataURI decodes a base64 or percent-encoded data: URI holding an
// image.
func decodeDataURI(s string) (*Image, error) {
	meta, payload, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok {
		return nil, fmt.Errorf("a data: URI without a comma")
	}
	var data []byte
	var err error
	if strings.HasSuffix(meta, ";base64") {
		data, err = base64.StdEncoding.DecodeString(strings.Map(dropSpace, payload))
	} else {
		var u string
		u, err = url.PathUnescape(payload)
		data = []byte(u)
	}
	if err != nil {
		return nil, err
	}
	return newImage(data)
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
		return -1
	}
	return r
}

// newImage checks that data is an image of a type certificates embed, by
// its content rather than what it claims, and makes its data: URI.
func newImage(data []byte) (*Image, error) {
	if len(data) == 0 || len(data) > maxImage {
		return nil, fmt.Errorf("an image of %d bytes", len(data))
	}
	typ := sniffImage(data)
	if typ == "" {
		return nil, fmt.Errorf("not a PNG, JPEG, GIF, WebP or SVG image")
	}
	return &Image{
		Src:  "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data),
		Data: data, Type: typ,
	}, nil
}

// sniffImage returns an image's media type from its first bytes.
func sniffImage(data []byte) string {
	t := http.DetectContentType(data)
	if imageTypes[t] {
		return t
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	if bytes.HasPrefix(head, []byte("<svg")) || (bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(data[:min(len(data), 4096)], []byte("<svg"))) {
		return "image/svg+xml"
	}
	return ""
}

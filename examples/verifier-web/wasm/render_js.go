//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/go-openbadges/openbadges/examples/verifier-web/internal/webverify"
	"github.com/go-openbadges/openbadges/render"
)

// certificates makes the certificate view with package render's default
// design. Its Config has no Fetcher, so the page stays offline: only
// images embedded in the credential (data: URIs) are shown.
func certificates() webverify.Certificates {
	r, err := render.New(render.Config{})
	if err != nil {
		return nil // the page then says it has no certificate view
	}
	return renderer{r}
}

// renderer adapts a *render.Renderer to webverify.Certificates.
type renderer struct{ r *render.Renderer }

// Certificate draws the certificate page of credential in lang.
func (c renderer) Certificate(ctx context.Context, credential []byte, lang string) (string, error) {
	page, err := c.r.HTML(ctx, credential, &render.Options{Lang: lang})
	if errors.Is(err, render.ErrCredential) {
		return "", errors.New("certificates are drawn for Open Badges 3.0 achievement and endorsement credentials")
	}
	return string(page), err
}

// Package statussign secures the status lists a status.Registry publishes
// with the proof packages: a Data Integrity proof or a JOSE signature. It
// sits above package status, so that the issuer's side of status lists
// needs no proof package of its own.
package statussign

import (
	"context"

	"github.com/go-openbadges/openbadges/proof/dataintegrity"
	"github.com/go-openbadges/openbadges/proof/jose"
	"github.com/go-openbadges/openbadges/status"
)

// DataIntegrity returns a status.Signer that adds a Data Integrity proof
// with s (eddsa-rdfc-2022 for an Ed25519 key), with opts (which may be
// nil) as the proof's options. The verification method must be controlled
// by the list's issuer, since verifiers check that.
func DataIntegrity(s *dataintegrity.Signer, opts *dataintegrity.ProofOptions) status.Signer {
	return status.SignerFunc(func(ctx context.Context, unsigned []byte) ([]byte, error) {
		return s.Sign(ctx, unsigned, opts)
	})
}

// JOSE returns a status.Signer that signs the list credential as a compact
// JWS with s: an OB 3.0 VC-JWT by default, whose nbf and exp carry
// validFrom and validUntil.
func JOSE(s *jose.Signer) status.Signer {
	return status.SignerFunc(func(ctx context.Context, unsigned []byte) ([]byte, error) {
		token, err := s.Sign(ctx, unsigned)
		return []byte(token), err
	})
}

package keys

import (
	"context"
	"crypto"
)

// A ContextSigner is a crypto.Signer whose signing can take a context: a
// key in a cloud KMS or an HSM behind a network, whose call needs a
// deadline and must stop when the caller gives up. The proof packages
// (proof/dataintegrity, proof/jose) call SignContext rather than Sign on a
// key that has it, with the context their own Sign was given, so a
// deadline set there (context.WithTimeout) reaches the remote call.
//
// Implement Sign too, as SignContext with context.Background(), for
// callers that have no context; package proof/jose's
// ExampleSigner_Sign_remoteKey shows a whole one.
//
// SignContext signs as Sign does (the same digest and opts, the same
// signature format: ASN.1 DER for ECDSA) and should return ctx.Err(), or
// an error wrapping it, once ctx is done. The proof packages wrap the
// error it returns, so errors.Is and errors.As find it.
type ContextSigner interface {
	crypto.Signer
	SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) (signature []byte, err error)
}

// Package oid4vci delivers issued Open Badges 3.0 credentials to learners'
// wallets through OpenID for Verifiable Credential Issuance 1.0. A Server is
// the http.Handler an LMS mounts, and Server.Offer makes the credential offer
// (a URI and a QR code) for an award.
//
// The Server is its own OAuth 2.0 authorization server: for the Pre-Authorized
// Code Flow, with an optional transaction code (tx_code) that the LMS sends the
// learner by another channel, and, when the LMS gives it a Login, for the
// Authorization Code Flow with PKCE, in which the LMS signs the learner in. It
// serves the Credential Issuer metadata
// (/.well-known/openid-credential-issuer) and the authorization server metadata
// (/.well-known/oauth-authorization-server), and the authorization, token,
// nonce, credential, deferred credential and notification endpoints. Each award is offered in two
// credential configurations: ldp_vc (an embedded Data Integrity proof,
// eddsa-rdfc-2022 or ecdsa-rdfc-2019) and jwt_vc_json (the OB 3.0 VC-JWT).
//
// A wallet proves with a key proof (a JWT of typ openid4vci-proof+jwt, over the
// Server's c_nonce and with the Credential Issuer Identifier as aud) that it
// holds a key, named in the proof's header by a DID URL (kid) or given as a JWK
// (jwk); the credential it gets is about that key's DID (a jwk becomes a
// did:jwk), so that it is bound to the wallet (see issuer.Issuer.IssueTo).
// An award still in review is deferred: the wallet gets a transaction_id and
// asks the deferred credential endpoint again later.
//
// Pre-authorized and authorization codes, access tokens and nonces are single
// use or short lived, and kept in a Store under a hash of their value:
// MemoryStore for one process, a shared (SQL) Store for several, which then
// share Config.Secret too. What anyone may ask for without a code (a c_nonce,
// an authorization request) is sealed with that secret rather than stored, and
// stored only once used up, so that the open endpoints write nothing. Every error is answered in the
// specification's JSON form with its error code (invalid_grant, invalid_proof,
// invalid_nonce, …). Batch issuance, authorization_details, pushed
// authorization requests, DPoP, encrypted requests and responses, and the
// di_vp and attestation proof types are not supported.
package oid4vci

// Package obapi serves the Open Badges 3.0 API as a Host: the resource
// server where a learner keeps their badges and profile (getCredentials,
// upsertCredential, getProfile, putProfile, and the Service Description
// Document), and its OAuth 2.0 authorization server, with dynamic client
// registration, the authorization code grant with PKCE, refresh tokens and
// token revocation. A Server is the http.Handler a host mounts.
//
// The endpoints are those of the specification's OpenAPI document, under
// the Config.BaseURL's path:
//
//	GET  /ims/ob/v3p0/discovery         the Service Description Document
//	GET  /ims/ob/v3p0/credentials       getCredentials   (scope credential.readonly)
//	POST /ims/ob/v3p0/credentials       upsertCredential (scope credential.upsert)
//	GET  /ims/ob/v3p0/profile           getProfile       (scope profile.readonly)
//	PUT  /ims/ob/v3p0/profile           putProfile       (scope profile.update)
//	POST /ims/ob/v3p0/oauth/register    dynamic client registration (RFC 7591)
//	GET  /ims/ob/v3p0/oauth/authorize   authorization request (RFC 6749, PKCE S256)
//	POST /ims/ob/v3p0/oauth/token       authorization_code and refresh_token grants
//	POST /ims/ob/v3p0/oauth/revoke      token revocation (RFC 7009)
//
// The API's errors are Imsx_StatusInfo documents with the specification's
// code minor values (unauthorizedrequest for a missing, unknown, expired
// or revoked access token, forbidden for one without the operation's
// scope, invalid_data, invalid_query_parameter, not_found, not_allowed);
// the OAuth endpoints answer with RFC 6749's and RFC 7591's errors.
//
// The host signs its users in: at an authorization request the Server
// checks the client, its redirect URI, the scopes and the PKCE challenge,
// then hands the request to the host's Login, which signs the user in,
// asks their consent, and calls Server.Authorize (or Server.Deny).
// Clients, codes and tokens are kept in a hoststore.Store under a hash of
// their value, never in the clear: codes and refresh tokens are single use
// (a refresh token is replaced at each use, with its access token; a code
// used twice revokes the tokens it gave), everything expires, and client
// secrets are compared in constant time. Nothing secret is logged. The
// Service Description Document gives the registration endpoint as the
// specification does (x-imssf-registrationUrl), and the revocation
// endpoint as an extension of the authorization code flow,
// x-imssf-revocationUrl. Registration is open to anyone: the
// specification forbids asking for an initial access token, so a host
// whose store has no bound (sqlstore's) should limit the rate of
// registrations in front of the Server. A registration whose client has
// not exchanged a code within UnusedClientTTL is forgotten, so that
// registrations nobody uses do not fill the Store for good. A client gets refresh tokens only
// if it registered the refresh_token grant type.
//
// An authorization request whose client or redirect URI is not registered
// gets a page of the host's, never a redirect; any other error goes back
// to the client's registered redirect URI, as RFC 6749 §4.1.2.1 has it.
// As registration is open, that URI is one anyone may have registered:
// the host redirects only to URIs a client registered, of the hostname of
// its client_uri, never to one a request names. The authorization
// response has no iss parameter (RFC 9207): the specification gives no
// issuer identifier a client could compare it with, so a client of
// several hosts tells their responses apart by registering a redirect URI
// of its own at each (RFC 9700 §4.4.2).
//
// A credential is upserted only if it verifies (package verify, with the
// Config's Verifier and Policy): the host holds nothing whose issuer it
// could not confirm, so getCredentials never hands out a forgery. The
// specification does not say whether a host keeps a revoked credential;
// this one does not: a credential whose status list says it is revoked or
// suspended does not verify, nor, unless the Policy allows an unknown
// status, one whose status cannot be decided, and the client is told why
// (invalid_data). Two
// credentials are the same, and the second replaces the first, when they
// have the same issuer and the same id; a credential without an id is
// known by its bytes. Profiles are the user's own statements: they are
// checked against the specification's Profile schema, not verified. A
// user who has put none gets the host's Config.DefaultProfile, if it has
// one, or not_found.
package obapi

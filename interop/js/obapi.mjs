#!/usr/bin/env node
// obapi.mjs: an Open Badges 3.0 API client, built on panva's oauth4webapi
// (an OAuth 2.0 client nobody here wrote), as the Go tests of package obapi
// run it against the Go host on 127.0.0.1. See README.md.
//
//   node obapi.mjs --base URL --credential FILE --jws FILE
//
// It reads the host's Service Description Document, registers itself
// (RFC 7591), runs the authorization code grant with PKCE S256 (the Go test's
// host signs its user in at once and redirects), exchanges the code, upserts
// the JSON credential of FILE and the compact JWS of the other FILE, reads the
// credentials a page at a time, refreshes the token, checks that the old
// access token no longer works, revokes the new one (RFC 7009) and checks that
// it no longer works either. It prints one JSON line per step:
//   {"step": NAME, "status": HTTP_STATUS, "body": …, "headers": {…}}
// and exits 0 when every step ran, 1 when one failed, 2 when it could not run.
// Only the host given, a loopback address, may be reached.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import * as oauth from 'oauth4webapi';

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_CANNOT_RUN = 2;

const SCOPES = [
  'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly',
  'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert',
  'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly'
];
const REDIRECT_URI = 'https://backpack.example/callback';

const {values: args} = parseArgs({options: {
  base: {type: 'string'}, credential: {type: 'string'}, jws: {type: 'string'}
}});
if(!args.base || !args.credential || !args.jws) {
  console.error('usage: node obapi.mjs --base URL --credential FILE --jws FILE');
  process.exit(EXIT_CANNOT_RUN);
}
const base = new URL(args.base);
if(!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
  console.error('obapi.mjs reaches loopback addresses only');
  process.exit(EXIT_CANNOT_RUN);
}
// Every request goes to the host given, and nowhere else.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const u = new URL(input instanceof Request ? input.url : input);
  if(u.origin !== base.origin) {
    throw new Error(`refused: a request to ${u.origin}`);
  }
  return realFetch(input, init);
};

function print(step, response, body) {
  const headers = {};
  for(const h of ['x-total-count', 'link', 'content-type', 'www-authenticate']) {
    if(response.headers.has(h)) {
      headers[h] = response.headers.get(h);
    }
  }
  console.log(JSON.stringify({step, status: response.status, headers, body}));
}

async function bodyOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// api calls the API with an access token; a 401 that oauth4webapi turns into
// a challenge error is printed as the response it was.
async function api(step, token, method, path, headers, body) {
  let response;
  try {
    response = await oauth.protectedResourceRequest(
      token, method, new URL(base.href.replace(/\/$/, '') + path), headers, body);
  } catch(e) {
    if(e instanceof oauth.WWWAuthenticateChallengeError) {
      response = e.response;
    } else {
      throw e;
    }
  }
  print(step, response, await bodyOf(response.clone()));
  return response;
}

async function main() {
  const sddResponse = await fetch(new URL('ims/ob/v3p0/discovery', base.href.replace(/\/?$/, '/')));
  const sdd = await sddResponse.json();
  print('discovery', sddResponse, sdd);
  const scheme = sdd.components.securitySchemes.OAuth2ACG;
  const flow = scheme.flows.authorizationCode;
  const as = {
    issuer: base.href,
    authorization_endpoint: flow.authorizationUrl,
    token_endpoint: flow.tokenUrl,
    registration_endpoint: scheme['x-imssf-registrationUrl'],
    revocation_endpoint: flow['x-imssf-revocationUrl'],
    code_challenge_methods_supported: ['S256']
  };

  // Dynamic client registration.
  const regResponse = await oauth.dynamicClientRegistrationRequest(as, {
    client_name: 'oauth4webapi backpack',
    client_uri: 'https://backpack.example',
    logo_uri: 'https://backpack.example/logo.png',
    tos_uri: 'https://backpack.example/tos',
    policy_uri: 'https://backpack.example/privacy',
    software_id: 'openbadges-interop-obapi',
    software_version: '1.0',
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: SCOPES.join(' ')
  });
  const client = await oauth.processDynamicClientRegistrationResponse(regResponse);
  console.log(JSON.stringify({step: 'register', status: 201, body: {client_id: client.client_id}}));
  const auth = oauth.ClientSecretBasic(client.client_secret);

  // Authorization code with PKCE.
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const authURL = new URL(as.authorization_endpoint);
  for(const [k, v] of Object.entries({
    response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT_URI,
    scope: SCOPES.join(' '), state, code_challenge: challenge, code_challenge_method: 'S256'
  })) {
    authURL.searchParams.set(k, v);
  }
  const authResponse = await fetch(authURL, {redirect: 'manual'});
  const location = authResponse.headers.get('location');
  console.log(JSON.stringify({step: 'authorize', status: authResponse.status}));
  const params = oauth.validateAuthResponse(as, client, new URL(location), state);
  const tokenResponse = await oauth.authorizationCodeGrantRequest(
    as, client, auth, params, REDIRECT_URI, verifier);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse);
  console.log(JSON.stringify({step: 'token', status: 200,
    body: {token_type: tokens.token_type, scope: tokens.scope, expires_in: tokens.expires_in,
      refresh: typeof tokens.refresh_token === 'string'}}));

  // The API.
  await api('upsert-json', tokens.access_token, 'POST', '/ims/ob/v3p0/credentials',
    new Headers({'content-type': 'application/json'}), readFileSync(args.credential));
  await api('upsert-json-again', tokens.access_token, 'POST', '/ims/ob/v3p0/credentials',
    new Headers({'content-type': 'application/json'}), readFileSync(args.credential));
  await api('upsert-jws', tokens.access_token, 'POST', '/ims/ob/v3p0/credentials',
    new Headers({'content-type': 'text/plain'}), readFileSync(args.jws, 'utf8').trim());
  await api('get-page-1', tokens.access_token, 'GET', '/ims/ob/v3p0/credentials?limit=1');
  await api('get-page-2', tokens.access_token, 'GET', '/ims/ob/v3p0/credentials?limit=1&offset=1');
  await api('get-profile', tokens.access_token, 'GET', '/ims/ob/v3p0/profile');
  await api('put-profile', tokens.access_token, 'PUT', '/ims/ob/v3p0/profile',
    new Headers({'content-type': 'application/json'}),
    JSON.stringify({id: 'did:example:learner', type: ['Profile'], name: 'A Learner'}));

  // Refresh: the old pair stops working.
  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token));
  console.log(JSON.stringify({step: 'refresh', status: 200, body: {scope: refreshed.scope}}));
  await api('old-token', tokens.access_token, 'GET', '/ims/ob/v3p0/credentials');
  await api('new-token', refreshed.access_token, 'GET', '/ims/ob/v3p0/credentials');

  // Revocation.
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client, auth, refreshed.access_token));
  console.log(JSON.stringify({step: 'revoke', status: 200}));
  await api('revoked-token', refreshed.access_token, 'GET', '/ims/ob/v3p0/credentials');
}

main().then(() => process.exit(EXIT_OK), e => {
  console.error(e && e.stack || String(e));
  if(e && e.cause) {
    console.error('cause:', JSON.stringify(e.cause));
  }
  process.exit(EXIT_FAIL);
});

#!/usr/bin/env node
// oid4vci.mjs: a wallet, built on the @openid4vc/openid4vci client
// (OpenWallet Foundation Labs, first by Animo), that takes a credential
// offer through the Pre-Authorized Code Flow, as the Go tests of package
// oid4vci run it against the Go server on 127.0.0.1. See README.md.
//
//   node oid4vci.mjs --offer URI [--tx-code CODE] [--key did|jwk]
//       [--alg EdDSA|ES256] [--config ID]...
//
// It resolves the offer and the issuer's metadata, exchanges the
// pre-authorized code (and the transaction code) for an access token, and for
// each credential configuration offered (or each --config) gets a c_nonce,
// makes a key proof with a fresh key of its own (named by its did:key in kid,
// or given as jwk), asks for the credential and notifies credential_accepted.
// A credential the issuer defers (the award is in review) is asked for
// again at the deferred credential endpoint after the interval it says,
// up to 5 times, with a line {"deferred": ID, "interval": SECONDS} each time.
// It prints one JSON line per credential:
//   {"configuration": ID, "format": F, "holder": DID, "credential": …}
// then tries the pre-authorized code again and prints
//   {"replayed_code": ERROR_CODE}
// It exits 0 when it got every credential, 1 when the server refused one
// (the refusal printed), 2 when it could not run. Only the offer's host, a
// loopback address, may be reached: any other fetch is refused.
import {createHash, randomBytes} from 'node:crypto';
import {parseArgs} from 'node:util';

import {clientAuthenticationAnonymous, clientAuthenticationNone} from
  '@openid4vc/oauth2';
import {Openid4vciClient} from '@openid4vc/openid4vci';
import * as jose from 'jose';

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_CANNOT_RUN = 2;

// How often a deferred credential is asked for before giving up.
const MAX_DEFERRED_TRIES = 5;

// The wallet's client_id and redirect URI in the Authorization Code Flow.
const CLIENT_ID = 'openbadges-interop-wallet';
const REDIRECT_URI = 'https://wallet.example/callback';

const {values: args} = parseArgs({
  options: {
    offer: {type: 'string'},
    'tx-code': {type: 'string'},
    key: {type: 'string', default: 'did'},
    alg: {type: 'string', default: 'EdDSA'},
    config: {type: 'string', multiple: true},
    flow: {type: 'string', default: 'pre-authorized_code'}
  }
});
if(!args.offer || !['did', 'jwk'].includes(args.key) ||
  !['EdDSA', 'ES256'].includes(args.alg) ||
  !['pre-authorized_code', 'authorization_code'].includes(args.flow)) {
  console.error('usage: node oid4vci.mjs --offer URI [--tx-code CODE] ' +
    '[--flow pre-authorized_code|authorization_code] ' +
    '[--key did|jwk] [--alg EdDSA|ES256] [--config ID]...');
  process.exit(EXIT_CANNOT_RUN);
}

// The network: only loopback hosts, which the offer's issuer must be.
const realFetch = globalThis.fetch;
const fetchLoopback = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input :
    (input instanceof URL ? input.href : input.url));
  if(!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new TypeError(`fetch refused: ${url.origin} is not loopback`);
  }
  return realFetch(input, init);
};

// base58btc, for the did:key of the wallet's key
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes) {
  let n = 0n;
  for(const b of bytes) {
    n = n * 256n + BigInt(b);
  }
  let s = '';
  while(n > 0n) {
    s = B58[Number(n % 58n)] + s;
    n /= 58n;
  }
  for(const b of bytes) {
    if(b !== 0) {
      break;
    }
    s = '1' + s;
  }
  return s;
}

// didKey returns the did:key of a public JWK (Ed25519, or P-256 compressed).
function didKey(jwk) {
  let prefix, raw;
  if(jwk.kty === 'OKP') {
    prefix = [0xed, 0x01];
    raw = Buffer.from(jwk.x, 'base64url');
  } else {
    prefix = [0x80, 0x24];
    const x = Buffer.from(jwk.x, 'base64url');
    const y = Buffer.from(jwk.y, 'base64url');
    raw = Buffer.concat([Buffer.from([2 + (y[y.length - 1] & 1)]), x]);
  }
  return 'did:key:z' + base58(Buffer.concat([Buffer.from(prefix), raw]));
}

async function main() {
  const {privateKey, publicKey} = await jose.generateKeyPair(args.alg,
    args.alg === 'EdDSA' ? {crv: 'Ed25519'} : {});
  const publicJwk = await jose.exportJWK(publicKey);
  const did = didKey(publicJwk);
  const signer = args.key === 'did' ?
    {method: 'did', didUrl: `${did}#${did.slice('did:key:'.length)}`,
      alg: args.alg} :
    {method: 'jwk', publicJwk, alg: args.alg};
  // With a jwk, the holder is the did:jwk of the JWK as the client wrote it
  // in the proof's header (it orders the members its own way).
  let holder = did;

  const client = new Openid4vciClient({
    callbacks: {
      fetch: fetchLoopback,
      hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
      generateRandom: n => randomBytes(n),
      clientAuthentication: args.flow === 'authorization_code' ?
        clientAuthenticationNone({clientId: CLIENT_ID}) :
        clientAuthenticationAnonymous(),
      signJwt: async (_signer, {header, payload}) => ({
        jwt: await new jose.SignJWT(payload).setProtectedHeader(header)
          .sign(privateKey),
        signerJwk: publicJwk
      })
    }
  });

  const offer = await client.resolveCredentialOffer(args.offer);
  const issuerMetadata = await client.resolveIssuerMetadata(
    offer.credential_issuer);
  // The access token, by the flow asked for; again tries the same code a
  // second time.
  let again;
  let accessTokenResponse;
  if(args.flow === 'authorization_code') {
    const {authorizationRequestUrl, pkce} =
      await client.createAuthorizationRequestUrlFromOffer({
        credentialOffer: offer, issuerMetadata, clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI
      });
    // The learner's browser: the LMS signs them in (the Go test's Login
    // does it at once) and sends them back to the wallet with the code.
    const res = await fetchLoopback(authorizationRequestUrl,
      {redirect: 'manual'});
    const location = res.headers.get('location') ?? '';
    if(res.status !== 302 || !location.startsWith(REDIRECT_URI + '?')) {
      throw new Error(`authorization: ${res.status} ${location} ` +
        await res.text());
    }
    const back = new URL(location);
    if(back.searchParams.get('iss') !==
      issuerMetadata.authorizationServers[0].issuer) {
      throw new Error(`authorization response iss: ${location}`);
    }
    const code = back.searchParams.get('code');
    const take = () => client.retrieveAuthorizationCodeAccessTokenFromOffer({
      credentialOffer: offer, issuerMetadata, authorizationCode: code,
      pkceCodeVerifier: pkce.codeVerifier, redirectUri: REDIRECT_URI
    });
    ({accessTokenResponse} = await take());
    again = take;
  } else {
    const take = () => client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer, issuerMetadata, txCode: args['tx-code']
    });
    ({accessTokenResponse} = await take());
    again = take;
  }
  const accessToken = accessTokenResponse.access_token;
  const out = process.stdout;
  for(const id of args.config ?? offer.credential_configuration_ids) {
    const {c_nonce: nonce} = await client.requestNonce({issuerMetadata});
    const {jwt} = await client.createCredentialRequestJwtProof({
      issuerMetadata, credentialConfigurationId: id, signer, nonce
    });
    if(args.key === 'jwk') {
      const {jwk} = jose.decodeProtectedHeader(jwt);
      holder = 'did:jwk:' +
        Buffer.from(JSON.stringify(jwk)).toString('base64url');
    }
    const res = await client.retrieveCredentials({
      issuerMetadata, accessToken, credentialConfigurationId: id,
      proofs: {jwt: [jwt]}
    });
    let body = res.credentialResponse;
    // Deferred (the award waits for a person): ask the deferred credential
    // endpoint after the interval the issuer asks for, a few times.
    for(let tries = 0; body.transaction_id && tries < MAX_DEFERRED_TRIES;
      tries++) {
      out.write(JSON.stringify({deferred: id, interval: body.interval}) +
        '\n');
      await new Promise(resolve => setTimeout(resolve, body.interval * 1000));
      ({deferredCredentialResponse: body} =
        await client.retrieveDeferredCredentials({
          issuerMetadata, accessToken, transactionId: body.transaction_id
        }));
    }
    if(!body.credentials) {
      throw new Error(`no credential for ${id}: ${JSON.stringify(body)}`);
    }
    out.write(JSON.stringify({
      configuration: id,
      format: issuerMetadata.credentialIssuer
        .credential_configurations_supported[id].format,
      holder,
      credential: body.credentials[0].credential
    }) + '\n');
    await client.sendNotification({
      issuerMetadata, accessToken,
      notification: {notificationId: body.notification_id,
        event: 'credential_accepted'}
    });
  }
  // The code (pre-authorized or authorization code) is single use.
  let replayed = 'accepted';
  try {
    await again();
  } catch(e) {
    replayed = e.errorResponse?.error ?? `not an OAuth error: ${e.message}`;
  }
  out.write(JSON.stringify({replayed_code: replayed}) + '\n');
}

try {
  await main();
  process.exit(EXIT_OK);
} catch(e) {
  const refusal = e.errorResponse ?? e.response?.credentialErrorResponse;
  if(refusal) {
    process.stdout.write(JSON.stringify({refused: refusal}) + '\n');
    console.error(e.message);
    process.exit(EXIT_FAIL);
  }
  console.error(e.stack ?? e);
  process.exit(EXIT_CANNOT_RUN);
}

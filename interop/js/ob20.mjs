#!/usr/bin/env node
// ob20.mjs: makes signed Open Badges 2.0 assertions with panva's `jose`, an
// implementation independent of the Go code, for the Go verifier's tests.
// See README.md ("ob20.mjs"). Nothing here touches the network.
//
//   node ob20.mjs OUTDIR
//
// Writes into OUTDIR the issuer's documents (Profile, CryptographicKeys with
// publicKeyPem, BadgeClass, RevocationList), an attacker's, compact JWS
// assertions (*.jws) signed RS256 and ES256, and offline-map.json mapping
// each document's id to its file. The keys are read from OUTDIR/keys/ when
// there, made (and written there) otherwise: with the same keys, the RS256
// tokens come out byte for byte the same (RSASSA-PKCS1-v1_5 is
// deterministic); ES256 tokens differ from run to run.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {disableNetwork} from './lib/network.mjs';

disableNetwork();
const jose = await import('jose');

const [outDir] = process.argv.slice(2);
if(!outDir || process.argv.length !== 3) {
  console.error('usage: node ob20.mjs OUTDIR');
  process.exit(2);
}
const keyDir = join(outDir, 'keys');
mkdirSync(keyDir, {recursive: true});

const CONTEXT = 'https://w3id.org/openbadges/v2';
const ORG = 'https://example.org';
const issuerID = `${ORG}/organization.json`;
const badgeID = `${ORG}/robotics-badge.json`;
const rsaKeyID = `${ORG}/publicKey.json`;
const ecKeyID = `${ORG}/publicKey-es256.json`;
const revocationID = `${ORG}/revocationList.json`;
const attacker = 'https://attacker.example';
const attackerIssuerID = `${attacker}/issuer.json`;
const attackerKeyID = `${attacker}/publicKey.json`;

// loadOrMakeKey returns the private key in keys/NAME.private.json, making a
// fresh pair when the file is not there.
async function loadOrMakeKey(name, alg) {
  const file = join(keyDir, `${name}.private.json`);
  if(existsSync(file)) {
    return jose.importJWK(JSON.parse(readFileSync(file, 'utf8')), alg, {extractable: true});
  }
  const {privateKey} = await jose.generateKeyPair(alg, {modulusLength: 2048, extractable: true});
  writeFileSync(file, JSON.stringify(await jose.exportJWK(privateKey), null, 2) + '\n');
  return privateKey;
}

// publicPem returns the SPKI PEM of a private key's public half.
async function publicPem(privateKey) {
  const jwk = await jose.exportJWK(privateKey);
  const pub = Object.fromEntries(Object.entries(jwk).filter(([k]) =>
    ['kty', 'n', 'e', 'crv', 'x', 'y'].includes(k)));
  const alg = jwk.kty === 'RSA' ? 'RS256' : 'ES256';
  return jose.exportSPKI(await jose.importJWK(pub, alg, {extractable: true}));
}

const rsa = await loadOrMakeKey('rs256', 'RS256');
const ec = await loadOrMakeKey('es256', 'ES256');
const evil = await loadOrMakeKey('attacker-rs256', 'RS256');

const json = v => JSON.stringify(v, null, 2) + '\n';
const docs = {};
function writeDoc(file, doc) {
  writeFileSync(join(outDir, file), json(doc));
  docs[doc.id] = file;
}

// The issuer's documents: those of the spec's "Using Cryptographic Keys"
// example (ob_v2p0/examples), with both keys listed and a revocation list.
writeDoc('organization.json', {
  '@context': CONTEXT,
  type: 'Issuer',
  id: issuerID,
  name: 'An Example Badge Issuer',
  image: `${ORG}/logo.png`,
  url: ORG,
  email: 'contact@example.org',
  publicKey: [rsaKeyID, ecKeyID],
  revocationList: revocationID
});
writeDoc('publicKey.json', {
  '@context': CONTEXT, type: 'CryptographicKey', id: rsaKeyID, owner: issuerID,
  publicKeyPem: await publicPem(rsa)
});
writeDoc('publicKey-es256.json', {
  '@context': CONTEXT, type: 'CryptographicKey', id: ecKeyID, owner: issuerID,
  publicKeyPem: await publicPem(ec)
});
writeDoc('robotics-badge.json', {
  '@context': CONTEXT,
  type: 'BadgeClass',
  id: badgeID,
  name: 'Awesome Robotics Badge',
  description: 'For doing awesome things with robots that people think is pretty great.',
  image: `${ORG}/robotics-badge.png`,
  criteria: `${ORG}/robotics-badge.html`,
  tags: ['robots', 'awesome'],
  issuer: issuerID
});
// The spec's RevocationList example, its issuer set to this one.
writeDoc('revocationList.json', {
  '@context': CONTEXT,
  id: revocationID,
  type: 'RevocationList',
  issuer: issuerID,
  revokedAssertions: [
    'urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e',
    {id: 'urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418', revocationReason: 'Honor code violation'},
    {uid: 'abc123', revocationReason: 'Issued in error.'}
  ]
});
// An attacker's issuer and key: their key document is genuine, but names
// the attacker as owner, and example.org's Profile does not list it.
writeDoc('attacker-issuer.json', {
  '@context': CONTEXT, type: 'Issuer', id: attackerIssuerID, name: 'Attacker',
  url: attacker, email: 'attacker@attacker.example', publicKey: attackerKeyID
});
writeDoc('attacker-publicKey.json', {
  '@context': CONTEXT, type: 'CryptographicKey', id: attackerKeyID, owner: attackerIssuerID,
  publicKeyPem: await publicPem(evil)
});

// The spec's signed Assertion example ("Claims", ob_v2p0/examples#SignedBadge),
// as the spec prints it.
const specClaims = {
  '@context': CONTEXT,
  type: 'Assertion',
  id: 'urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b',
  recipient: {
    type: 'email',
    hashed: true,
    salt: 'deadsea',
    identity: 'sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5'
  },
  evidence: `${ORG}/beths-robot-work.html`,
  issuedOn: '2016-12-31T23:59:59Z',
  badge: badgeID,
  verification: {type: 'SignedBadge', creator: rsaKeyID}
};
// nobody@example.org salted with "deadsea" (the 1EdTech validator's
// 2_0_basic_assertion recipient).
const nobody = {
  type: 'email', hashed: true, salt: 'deadsea',
  identity: 'sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942'
};

async function sign(file, claims, key, alg) {
  const payload = new TextEncoder().encode(json(claims));
  const token = await new jose.CompactSign(payload).setProtectedHeader({alg}).sign(key);
  writeFileSync(join(outDir, file), token + '\n');
}

await sign('spec-rs256.jws', specClaims, rsa, 'RS256');
await sign('spec-es256.jws', {...specClaims, verification: {type: 'SignedBadge', creator: ecKeyID}}, ec, 'ES256');
// The same claims with the verification object under the spec's alias
// "verify" and its alias type "signed", and no creator: the issuer's keys are
// tried.
{
  const {verification, ...rest} = specClaims;
  await sign('alias-no-creator.jws', {...rest, verify: {type: 'signed'}}, rsa, 'RS256');
}
await sign('recipient-embedded-badge.jws', {
  ...specClaims,
  id: 'urn:uuid:5a1b0c3e-6a55-4d3c-9d0e-7a3c2f4b9e01',
  recipient: nobody,
  badge: {
    type: 'BadgeClass',
    id: 'urn:uuid:0e4d7c1f-2b7a-4f1e-8a53-1f2e3d4c5b6a',
    name: 'Ephemeral Robotics Badge',
    description: 'An embedded BadgeClass with a urn:uuid id, covered by the signature.',
    image: `${ORG}/robotics-badge.png`,
    criteria: {narrative: 'Build a robot.'},
    issuer: issuerID
  }
}, rsa, 'RS256');
await sign('revoked.jws', {...specClaims, id: 'urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418'}, rsa, 'RS256');
await sign('revoked-uid.jws', {...specClaims, id: 'urn:uuid:7d0b2a44-0c7f-4b55-a8a5-4c1d3b2e1f00', uid: 'abc123'}, rsa, 'RS256');
await sign('expired.jws', {...specClaims, id: 'urn:uuid:1f6f3c52-8f0e-4d7a-b2c1-9e8d7c6b5a40', expires: '2017-06-30T23:59:59Z'}, rsa, 'RS256');
// Forgeries: signed with the attacker's key, naming it as creator, for
// example.org's badge; and the same with no creator.
await sign('forged-attacker-key.jws', {...specClaims, verification: {type: 'SignedBadge', creator: attackerKeyID}}, evil, 'RS256');
await sign('forged-no-creator.jws', {...specClaims, verification: {type: 'SignedBadge'}}, evil, 'RS256');

writeFileSync(join(outDir, 'offline-map.json'), json(Object.fromEntries(Object.entries(docs).sort())));

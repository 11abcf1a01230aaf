#!/usr/bin/env node
// jwt.mjs: offline compact JWS / JWT (VC-JWT) sign / verify harness for the Go
// interop tests, using panva's `jose` (an independent JOSE implementation).
// See README.md. Nothing here touches the network: global fetch, sockets and
// DNS are disabled before jose is loaded, and keys come only from files (or,
// with --embedded-jwk, from the token's own protected header).
//
//   node jwt.mjs verify (--jwk PUBLIC.json | --embedded-jwk) [--alg ALG]
//       [--jwt [--now DATETIME]] TOKEN_FILE
//   node jwt.mjs sign --jwk PRIVATE.json --alg ALG [--kid KID] [--typ TYP]
//       [--cty CTY] [--embed-jwk] PAYLOAD_FILE
//   node jwt.mjs keygen --alg ALG [--kid KID] [--modulus-length BITS]
//
// verify prints one JSON line and exits 0 when verified, 1 when not, 2 when it
// could not run. sign prints the compact JWS and exits 0, 1 when jose refused
// to sign, 2 when it could not run. keygen prints {"private": JWK, "public": JWK}.
// A file argument of "-" reads stdin.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import {disableNetwork} from './lib/network.mjs';

const out = process.stdout.write.bind(process.stdout);
console.log = console.info = console.warn = console.debug = console.error;

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_CANNOT_RUN = 2;

class UsageError extends Error {}

// The JWS algorithms this harness accepts: the asymmetric signature algorithms
// jose implements. HMAC (HS*) is left out on purpose (a public JWK must never
// become an HMAC secret), and so is "none" (jose has no such algorithm).
const SIG_ALGS = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'
]);

// JWK members that only a private (or symmetric) key has.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

const usage = `usage:
  node jwt.mjs verify (--jwk PUBLIC.json | --embedded-jwk) [--alg ALG] [--jwt [--now DATETIME]] TOKEN_FILE
  node jwt.mjs sign --jwk PRIVATE.json --alg ALG [--kid KID] [--typ TYP] [--cty CTY] [--embed-jwk] PAYLOAD_FILE
  node jwt.mjs keygen --alg ALG [--kid KID] [--modulus-length BITS]
ALG: ${[...SIG_ALGS].join(' ')}; a file argument of "-" reads stdin`;

function parse(argv, options, positionals) {
  let parsed;
  try {
    parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
  } catch(e) {
    throw new UsageError(e.message);
  }
  if(parsed.positionals.length !== positionals) {
    throw new UsageError(`expected ${positionals} file argument(s), got ${parsed.positionals.length}`);
  }
  return parsed;
}

function readBytes(path, what) {
  try {
    return new Uint8Array(readFileSync(path === '-' ? 0 : path));
  } catch(e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e.message}`);
  }
}

function checkAlg(alg, flag = '--alg') {
  if(!SIG_ALGS.has(alg)) {
    throw new UsageError(`${flag} ${JSON.stringify(alg)} is not one of ${[...SIG_ALGS].join(', ')}`);
  }
  return alg;
}

const isObject = v => typeof v === 'object' && v !== null && !Array.isArray(v);

// readJWK reads a JWK file. The file may hold the JWK itself or a JsonWebKey
// verification method (as in the W3C vc-jose-cose test suite) holding it:
// `publicKeyJwk` for a public key, `secretKeyJwk` / `privateKeyJwk` for a
// private one.
function readJWK(path, kind) {
  const text = new TextDecoder().decode(readBytes(path, `${kind} JWK`));
  let doc;
  try {
    doc = JSON.parse(text);
  } catch(e) {
    throw new UsageError(`${kind} JWK ${path} is not JSON: ${e.message}`);
  }
  if(!isObject(doc)) {
    throw new UsageError(`${kind} JWK ${path} must be a JSON object`);
  }
  let jwk = doc;
  if(typeof doc.kty !== 'string') {
    const wrapped = kind === 'public' ? ['publicKeyJwk'] : ['secretKeyJwk', 'privateKeyJwk'];
    const member = wrapped.find(m => isObject(doc[m]));
    if(!member) {
      throw new UsageError(`${kind} JWK ${path} has no "kty" and no ${wrapped.map(m => `"${m}"`).join(' or ')} object`);
    }
    jwk = doc[member];
    if(typeof jwk.kty !== 'string') {
      throw new UsageError(`${kind} JWK ${path}: "${member}" has no "kty"`);
    }
  }
  const priv = PRIVATE_MEMBERS.filter(m => m in jwk);
  if(kind === 'public' && priv.length > 0) {
    throw new UsageError(`--jwk ${path} is not a public JWK (it has ${priv.map(m => `"${m}"`).join(', ')})`);
  }
  if(kind === 'private' && !('d' in jwk)) {
    throw new UsageError(`--jwk ${path} is not a private JWK (no "d")`);
  }
  if(jwk.alg !== undefined) {
    checkAlg(jwk.alg, `${path}: JWK "alg"`);
  }
  return jwk;
}

// algsForJWK: the algorithms a JWK without --alg is used with: its "alg", or
// the one its key type implies (RSA -> RS256, the OB 3.0 minimum; EC by
// curve; an Ed25519 OKP key -> EdDSA or Ed25519, the two names jose has for
// the same algorithm).
function algsForJWK(jwk) {
  if(jwk.alg !== undefined) {
    return [jwk.alg];
  }
  switch(jwk.kty) {
    case 'RSA':
      return ['RS256'];
    case 'EC': {
      const alg = {'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512'}[jwk.crv];
      if(alg) {
        return [alg];
      }
      break;
    }
    case 'OKP':
      if(jwk.crv === 'Ed25519') {
        return ['EdDSA', 'Ed25519'];
      }
      break;
  }
  throw new UsageError(`cannot tell the algorithm of a JWK with kty ${JSON.stringify(jwk.kty)}` +
    `${jwk.crv !== undefined ? ` crv ${JSON.stringify(jwk.crv)}` : ''}: pass --alg`);
}

// publicPart: the public members of a JWK (for --embed-jwk).
function publicPart(jwk) {
  const members = {RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x']}[jwk.kty];
  if(!members) {
    throw new UsageError(`--embed-jwk: unsupported kty ${JSON.stringify(jwk.kty)}`);
  }
  return Object.fromEntries(members.map(m => [m, jwk[m]]));
}

// errorText flattens a jose error (code, message, cause chain) into one line.
function errorText(e, depth = 0) {
  if(e === undefined || e === null) {
    return '';
  }
  if(typeof e !== 'object') {
    return String(e);
  }
  // jose errors have a string `code` (ERR_...); a DOMException's `code` is a
  // legacy number.
  const label = typeof e.code === 'string' ? e.code : (e.name ?? 'Error');
  let text = `${label}: ${e.message}`;
  if(typeof e.claim === 'string') {
    // JWTClaimValidationFailed / JWTExpired (their `cause` is {claim, reason,
    // payload}, not an error)
    text += ` (claim "${e.claim}", reason "${e.reason}")`;
  } else if(e.cause instanceof Error && depth < 5) {
    text += `; cause: ${errorText(e.cause, depth + 1)}`;
  }
  return text;
}

function printLine(obj) {
  out(JSON.stringify(obj) + '\n');
}

// decodePart decodes a base64url JSON part without verifying anything; it
// returns [value, ok].
function decodePart(b64u) {
  return parseJSONBytes(Buffer.from(b64u, 'base64url'));
}

function parseJSONBytes(bytes) {
  try {
    return [JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(bytes)), true];
  } catch {
    return [null, false];
  }
}

// ---------------------------------------------------------------- verify

async function verify(argv) {
  const {values, positionals} = parse(argv, {
    jwk: {type: 'string'},
    'embedded-jwk': {type: 'boolean'},
    alg: {type: 'string'},
    jwt: {type: 'boolean'},
    now: {type: 'string'}
  }, 1);
  const embedded = !!values['embedded-jwk'];
  if(embedded === (values.jwk !== undefined)) {
    throw new UsageError('verify needs exactly one of --jwk and --embedded-jwk');
  }
  if(values.alg !== undefined) {
    checkAlg(values.alg);
  }
  let currentDate;
  if(values.now !== undefined) {
    if(!values.jwt) {
      throw new UsageError('--now needs --jwt (compactVerify checks no claims)');
    }
    currentDate = new Date(values.now);
    if(isNaN(currentDate)) {
      throw new UsageError(`--now ${values.now} is not a date`);
    }
  }
  const jwk = embedded ? null : readJWK(values.jwk, 'public');
  // the token: the file's text with surrounding ASCII whitespace (e.g. a
  // final newline) removed; nothing else is changed.
  const token = new TextDecoder().decode(readBytes(positionals[0], 'token')).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if(token === '') {
    throw new UsageError(`token ${positionals[0]} is empty`);
  }

  let algorithms;
  if(values.alg !== undefined) {
    if(jwk?.alg !== undefined && jwk.alg !== values.alg) {
      throw new UsageError(`--alg ${values.alg} but the JWK says "alg": ${JSON.stringify(jwk.alg)}`);
    }
    algorithms = [values.alg];
  } else {
    algorithms = embedded ? [...SIG_ALGS] : algsForJWK(jwk);
  }

  disableNetwork();
  const jose = await import('jose');

  if(jwk) {
    // a key that cannot be used with the algorithm(s) is a set-up mistake,
    // not a verification result.
    for(const alg of algorithms) {
      try {
        await jose.importJWK(jwk, alg);
      } catch(e) {
        throw new UsageError(`--jwk ${values.jwk} cannot be used with ${alg}: ${errorText(e)}`);
      }
    }
  }

  const mode = values.jwt ? 'jwtVerify' : 'compactVerify';
  const line = {verified: false, mode, key: embedded ? 'embedded-jwk' : 'jwk', algorithms};
  const options = {algorithms};
  if(currentDate) {
    options.currentDate = currentDate;
  }
  // jose freezes a JWK object it is given; pass a copy.
  const key = embedded ? jose.EmbeddedJWK : structuredClone(jwk);
  try {
    const result = values.jwt ?
      await jose.jwtVerify(token, key, options) :
      await jose.compactVerify(token, key, options);
    line.verified = true;
    line.header = result.protectedHeader;
    if(values.jwt) {
      line.payload = result.payload;
    } else {
      const [payload, ok] = parseJSONBytes(result.payload);
      line.payload = payload;
      if(!ok) {
        line.payloadBase64url = Buffer.from(result.payload).toString('base64url');
      }
    }
  } catch(e) {
    // for diagnosis only: the parts decoded WITHOUT verification.
    const parts = token.split('.');
    line.header = decodePart(parts[0])[0];
    line.payload = parts.length === 3 ? decodePart(parts[1])[0] : null;
    line.error = errorText(e);
    if(typeof e?.code === 'string') {
      line.code = e.code;
    }
  }
  printLine(line);
  return line.verified ? EXIT_OK : EXIT_FAIL;
}

// ---------------------------------------------------------------- sign

async function sign(argv) {
  const {values, positionals} = parse(argv, {
    jwk: {type: 'string'},
    alg: {type: 'string'},
    kid: {type: 'string'},
    typ: {type: 'string'},
    cty: {type: 'string'},
    'embed-jwk': {type: 'boolean'}
  }, 1);
  if(values.jwk === undefined || values.alg === undefined) {
    throw new UsageError('sign needs --jwk and --alg');
  }
  const alg = checkAlg(values.alg);
  const jwk = readJWK(values.jwk, 'private');
  if(jwk.alg !== undefined && jwk.alg !== alg) {
    throw new UsageError(`--alg ${alg} but the JWK says "alg": ${JSON.stringify(jwk.alg)}`);
  }
  // the payload: the file's bytes exactly as they are.
  const payload = readBytes(positionals[0], 'payload');
  const header = {alg};
  for(const h of ['kid', 'typ', 'cty']) {
    if(values[h] !== undefined) {
      header[h] = values[h];
    }
  }
  if(values['embed-jwk']) {
    header.jwk = publicPart(jwk);
  }

  disableNetwork();
  const jose = await import('jose');
  let key;
  try {
    key = await jose.importJWK(jwk, alg);
  } catch(e) {
    throw new UsageError(`--jwk ${values.jwk} cannot be used with ${alg}: ${errorText(e)}`);
  }
  let jws;
  try {
    jws = await new jose.CompactSign(payload).setProtectedHeader(header).sign(key);
  } catch(e) {
    process.stderr.write(`sign: ${errorText(e)}\n`);
    return EXIT_FAIL;
  }
  out(jws + '\n');
  return EXIT_OK;
}

// ---------------------------------------------------------------- keygen

async function keygen(argv) {
  const {values} = parse(argv, {
    alg: {type: 'string'},
    kid: {type: 'string'},
    'modulus-length': {type: 'string'}
  }, 0);
  if(values.alg === undefined) {
    throw new UsageError('keygen needs --alg');
  }
  const alg = checkAlg(values.alg);
  const options = {extractable: true};
  if(values['modulus-length'] !== undefined) {
    if(!alg.startsWith('RS') && !alg.startsWith('PS')) {
      throw new UsageError('--modulus-length is for RS*/PS* only');
    }
    options.modulusLength = Number(values['modulus-length']);
    if(!Number.isInteger(options.modulusLength)) {
      throw new UsageError(`--modulus-length ${values['modulus-length']} is not an integer`);
    }
  }
  disableNetwork();
  const jose = await import('jose');
  let pair;
  try {
    pair = await jose.generateKeyPair(alg, options);
  } catch(e) {
    throw new UsageError(`keygen ${alg}: ${errorText(e)}`);
  }
  const priv = await jose.exportJWK(pair.privateKey);
  const pub = await jose.exportJWK(pair.publicKey);
  if(values.kid !== undefined) {
    priv.kid = values.kid;
    pub.kid = values.kid;
  }
  out(JSON.stringify({private: priv, public: pub}, null, 2) + '\n');
  return EXIT_OK;
}

// ---------------------------------------------------------------- main

const commands = {verify, sign, keygen};
const [cmd, ...rest] = process.argv.slice(2);
try {
  if(!Object.hasOwn(commands, cmd ?? '')) {
    throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command');
  }
  process.exitCode = await commands[cmd](rest);
} catch(e) {
  const msg = e instanceof UsageError ? `${e.message}\n${usage}` : (e?.stack ?? String(e));
  process.stderr.write(`jwt.mjs: ${msg}\n`);
  if(cmd === 'verify') {
    printLine({verified: false, error: `could not run: ${e instanceof UsageError ? e.message : errorText(e)}`});
  }
  process.exitCode = EXIT_CANNOT_RUN;
}

// selftest.mjs: checks di.mjs against the committed fixtures and the shared
// test vectors, and jwt.mjs with round trips and the W3C vc-jose-cose
// vectors, offline. Run with `npm test` (node --test) after `npm ci`.
// The shared vectors are looked for in ../../../shared/vectors/di-eddsa (or
// $OB_DI_VECTORS) and ../../../shared/vectors/jose/vc-jose-cose-test-suite (or
// $OB_JOSE_VECTORS); tests that need them are skipped when they are absent.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const di = join(here, 'di.mjs');
const fixtures = join(here, '..', 'fixtures');
const vectors = process.env.OB_DI_VECTORS ??
  join(here, '..', '..', '..', 'shared', 'vectors', 'di-eddsa');
const haveVectors = existsSync(join(vectors, 'TestVectors', 'unsigned.json'));
const jwtTool = join(here, 'jwt.mjs');
const joseVectors = process.env.OB_JOSE_VECTORS ??
  join(here, '..', '..', '..', 'shared', 'vectors', 'jose', 'vc-jose-cose-test-suite');
const haveJoseVectors = existsSync(join(joseVectors, 'credential-jose-minimal.txt'));

let tmp;
let ctx;
let ctxPublished;
let schemas;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ob-interop-'));
  ctx = join(tmp, 'contexts.json');
  ctxPublished = join(tmp, 'contexts-published.json');
  schemas = join(tmp, 'schemas.json');
  const build = join(here, 'build-contexts.mjs');
  execFileSync(process.execPath, [build, '--out', ctx], {stdio: 'ignore'});
  execFileSync(process.execPath, [build, '--published-ob303', '--out', ctxPublished], {stdio: 'ignore'});
  execFileSync(process.execPath, [build, '--schemas', '--out', schemas], {stdio: 'ignore'});
});

after(() => rmSync(tmp, {recursive: true, force: true}));

function run(args) {
  const r = spawnSync(process.execPath, [di, ...args], {encoding: 'utf8'});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

function verifyLine(args) {
  const r = run(args);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON line on stdout, got: ${r.stdout}\n${r.stderr}`);
  return {code: r.code, line: JSON.parse(lines[0])};
}

function tmpFile(name, value) {
  const p = join(tmp, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

// the context maps by label (their paths are known only once before() ran)
const variants = ['validator-bundled OB 3.0.3', 'published OB 3.0.3'];
const contextsFor = name => name.startsWith('published') ? ctxPublished : ctx;

describe('fixtures', () => {
  for(const f of ['signed-by-digitalbazaar.json', 'signed-by-digitalbazaar-alumni.json']) {
    for(const name of variants) {
      test(`${f} verifies (digitalbazaar, ${name})`, () => {
        const {code, line} = verifyLine(['verify', '--contexts', contextsFor(name), join(fixtures, f)]);
        assert.deepEqual(line, {verified: true});
        assert.equal(code, 0);
      });
      test(`${f} verifies (verifier-core, ${name})`, () => {
        const {code, line} = verifyLine(['dcc-verify', '--contexts', contextsFor(name),
          '--documents', schemas, join(fixtures, f)]);
        assert.equal(line.verified, true, JSON.stringify(line));
        assert.equal(line.checks.valid_signature, 'passed');
        assert.equal(line.checks.expiration, 'passed');
        assert.equal(code, 0);
      });
    }
    test(`${f} is reproduced by di.mjs sign`, () => {
      const unsigned = f.includes('alumni') ? 'unsigned-alumni.json' : 'unsigned-ob.json';
      const r = run(['sign', '--contexts', ctx, '--key', join(fixtures, 'key.json'),
        '--created', '2024-01-01T00:00:00Z', join(fixtures, unsigned)]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(join(fixtures, f), 'utf8'));
    });
  }

  test('a tampered fixture fails in both verifiers', () => {
    const c = JSON.parse(readFileSync(join(fixtures, 'signed-by-digitalbazaar.json'), 'utf8'));
    c.name = 'Tampered';
    const p = tmpFile('tampered.json', c);
    let r = verifyLine(['verify', '--contexts', ctx, p]);
    assert.equal(r.code, 1);
    assert.equal(r.line.verified, false);
    assert.match(r.line.error, /Invalid signature/);
    r = verifyLine(['dcc-verify', '--contexts', ctx, p]);
    assert.equal(r.code, 1);
    assert.equal(r.line.checks.valid_signature, 'failed');
  });

  test('an unknown context is refused, not fetched', () => {
    const c = JSON.parse(readFileSync(join(fixtures, 'signed-by-digitalbazaar.json'), 'utf8'));
    c['@context'].push('https://example.org/not-given/v1');
    const p = tmpFile('unknown-context.json', c);
    const r = verifyLine(['verify', '--contexts', ctx, p]);
    assert.equal(r.code, 1);
    assert.match(r.line.error, /offline documentLoader: no document for "https:\/\/example.org\/not-given\/v1"/);
  });

  test('bad arguments exit 2', () => {
    const r = verifyLine(['verify', '--contexts', join(tmp, 'missing.json'), join(fixtures, 'signed-by-digitalbazaar.json')]);
    assert.equal(r.code, 2);
    assert.equal(r.line.verified, false);
  });
});

describe('shared vectors', {skip: !haveVectors && `no vectors at ${vectors}`}, () => {
  const ob = () => join(vectors, 'ob3-1edtech');
  const w3c = () => join(vectors, 'TestVectors');
  const obDocs = () => {
    const c = JSON.parse(readFileSync(join(ob(), 'controller-document.SYNTHESIZED.json'), 'utf8'));
    return tmpFile('ob-docs.json', {[c.verificationMethod[0].id]: c});
  };

  for(const name of variants) {
    test(`1EdTech OB vector verifies (digitalbazaar, ${name})`, () => {
      const {code, line} = verifyLine(['verify', '--contexts', contextsFor(name),
        '--documents', obDocs(), join(ob(), 'signed-credential.json')]);
      assert.deepEqual(line, {verified: true});
      assert.equal(code, 0);
    });
    test(`1EdTech OB vector verifies (verifier-core, ${name})`, () => {
      const {code, line} = verifyLine(['dcc-verify', '--contexts', contextsFor(name),
        '--documents', obDocs(), join(ob(), 'signed-credential.json')]);
      assert.equal(line.verified, true, JSON.stringify(line));
      assert.equal(code, 0);
    });
  }

  test('W3C signedDataInt: proof verifies, credential does not (issuer is not the key controller)', () => {
    const p = join(w3c(), 'eddsa-rdfc-2022', 'signedDataInt.json');
    let r = verifyLine(['verify', '--proof-only', '--contexts', ctx, p]);
    assert.equal(r.line.verified, true, JSON.stringify(r.line));
    r = verifyLine(['verify', '--contexts', ctx, p]);
    assert.equal(r.line.verified, false);
    assert.match(r.line.error, /Credential issuer must match the verification method controller/);
    r = verifyLine(['dcc-verify', '--contexts', ctx, p]);
    assert.equal(r.line.verified, false);
    assert.match(r.line.error, /Credential issuer must match the verification method controller/);
  });

  test('signing reproduces the W3C and 1EdTech proofValues', () => {
    const wk = JSON.parse(readFileSync(join(w3c(), 'keyPair.json'), 'utf8'));
    const did = `did:key:${wk.publicKeyMultibase}`;
    const wkey = tmpFile('w3c-key.json', {id: `${did}#${wk.publicKeyMultibase}`, controller: did,
      publicKeyMultibase: wk.publicKeyMultibase, secretKeyMultibase: wk.privateKeyMultibase});
    let r = run(['sign', '--contexts', ctx, '--key', wkey, '--created', '2023-02-24T23:36:38Z',
      join(w3c(), 'unsigned.json')]);
    assert.equal(r.code, 0, r.stderr);
    const want = JSON.parse(readFileSync(join(w3c(), 'eddsa-rdfc-2022', 'signedDataInt.json'), 'utf8'));
    assert.equal(JSON.parse(r.stdout).proof.proofValue, want.proof.proofValue);

    const ok = JSON.parse(readFileSync(join(ob(), 'keypair.json'), 'utf8'));
    const okey = tmpFile('ob-key.json', {id: ok.verificationMethod, controller: ok.controller,
      publicKeyMultibase: ok.publicKeyMultibase, secretKeyMultibase: ok.secretKeyMultibase});
    r = run(['sign', '--contexts', ctx, '--key', okey, '--created', '2010-01-01T19:23:24Z',
      join(ob(), 'unsigned-credential.json')]);
    assert.equal(r.code, 0, r.stderr);
    const wantOB = JSON.parse(readFileSync(join(ob(), 'signed-credential.json'), 'utf8'));
    assert.equal(JSON.parse(r.stdout).proof.proofValue, wantOB.proof.proofValue);
  });
});

// ---------------------------------------------------------------- jwt.mjs

function runJWT(args, input) {
  const r = spawnSync(process.execPath, [jwtTool, ...args], {encoding: 'utf8', input});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

function jwtLine(args) {
  const r = runJWT(args);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON line on stdout, got: ${r.stdout}\n${r.stderr}`);
  return {code: r.code, line: JSON.parse(lines[0])};
}

// keyPair writes a fresh jwt.mjs keygen pair; returns [private, public] paths.
function keyPair(alg, name = alg) {
  const r = runJWT(['keygen', '--alg', alg]);
  assert.equal(r.code, 0, r.stderr);
  const {private: priv, public: pub} = JSON.parse(r.stdout);
  assert.equal(priv.d !== undefined, true);
  assert.equal(pub.d, undefined);
  return [tmpFile(`${name}.private.jwk.json`, priv), tmpFile(`${name}.public.jwk.json`, pub)];
}

const b64u = s => Buffer.from(s).toString('base64url');

describe('jwt.mjs', () => {
  // deliberately not canonical JSON (spaces, key order, a non-ASCII
  // character, a string iat): the JWS must carry these bytes unchanged.
  const payloadText = '{"iss": "https://example.org/issuers/1",  "name": "Caf\u00e9",\n "iat": "2010-01-01T19:23:24Z", "nbf": 1262373804}\n';
  const payload = () => tmpFile('jwt-payload.json', payloadText);

  for(const alg of ['RS256', 'ES256', 'ES384', 'EdDSA']) {
    test(`${alg}: keygen, sign, verify round trip`, () => {
      const [priv, pub] = keyPair(alg);
      const s = runJWT(['sign', '--jwk', priv, '--alg', alg, '--kid', `urn:example:${alg}`, '--typ', 'JWT', payload()]);
      assert.equal(s.code, 0, s.stderr);
      const token = s.stdout.trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const [h, p] = token.split('.');
      assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), {alg, kid: `urn:example:${alg}`, typ: 'JWT'});
      assert.equal(p, b64u(payloadText), 'payload bytes signed exactly as given');
      const t = tmpFile(`${alg}.jwt`, s.stdout);
      for(const extra of [[], ['--alg', alg]]) {
        const {code, line} = jwtLine(['verify', '--jwk', pub, ...extra, t]);
        assert.equal(line.verified, true, JSON.stringify(line));
        assert.equal(code, 0);
        assert.equal(line.mode, 'compactVerify');
        assert.deepEqual(line.header, {alg, kid: `urn:example:${alg}`, typ: 'JWT'});
        assert.deepEqual(line.payload, JSON.parse(payloadText));
      }
      // jwtVerify refuses the same token: its "iat" is a string
      const {code, line} = jwtLine(['verify', '--jwt', '--jwk', pub, t]);
      assert.equal(code, 1);
      assert.equal(line.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
      assert.match(line.error, /"iat" claim must be a number/);
    });
  }

  test('Ed25519 (fully-specified alg name) is accepted for an OKP Ed25519 key; --alg EdDSA then refuses it', () => {
    const [priv, pub] = keyPair('EdDSA', 'ed25519-alg');
    const s = runJWT(['sign', '--jwk', priv, '--alg', 'Ed25519', payload()]);
    assert.equal(s.code, 0, s.stderr);
    const t = tmpFile('ed25519-alg.jwt', s.stdout);
    let r = jwtLine(['verify', '--jwk', pub, t]);
    assert.equal(r.code, 0, JSON.stringify(r.line));
    assert.deepEqual(r.line.algorithms, ['EdDSA', 'Ed25519']);
    assert.equal(r.line.header.alg, 'Ed25519');
    r = jwtLine(['verify', '--jwk', pub, '--alg', 'EdDSA', t]);
    assert.equal(r.code, 1);
    assert.equal(r.line.code, 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  test('--embed-jwk / --embedded-jwk round trip; a token without "jwk" is refused', () => {
    const [priv] = keyPair('ES256', 'embedded');
    const s = runJWT(['sign', '--jwk', priv, '--alg', 'ES256', '--embed-jwk', payload()]);
    assert.equal(s.code, 0, s.stderr);
    const t = tmpFile('embedded.jwt', s.stdout);
    let r = jwtLine(['verify', '--embedded-jwk', t]);
    assert.equal(r.code, 0, JSON.stringify(r.line));
    assert.equal(r.line.header.jwk.kty, 'EC');
    assert.equal(r.line.header.jwk.d, undefined);
    r = jwtLine(['verify', '--embedded-jwk', '--alg', 'RS256', t]);
    assert.equal(r.code, 1);
    const plain = runJWT(['sign', '--jwk', priv, '--alg', 'ES256', payload()]);
    r = jwtLine(['verify', '--embedded-jwk', tmpFile('not-embedded.jwt', plain.stdout)]);
    assert.equal(r.code, 1);
    assert.equal(r.line.code, 'ERR_JWS_INVALID');
  });

  test('a tampered token is refused', () => {
    const [priv, pub] = keyPair('ES256', 'tamper');
    const token = runJWT(['sign', '--jwk', priv, '--alg', 'ES256', payload()]).stdout.trim();
    const [h, p, sig] = token.split('.');
    const changed = JSON.parse(Buffer.from(p, 'base64url'));
    changed.iss = 'https://evil.example';
    const sigBytes = Buffer.from(sig, 'base64url');
    sigBytes[5] ^= 1;
    const variants = {
      payload: `${h}.${b64u(JSON.stringify(changed))}.${sig}`,
      signature: `${h}.${p}.${sigBytes.toString('base64url')}`,
      header: `${b64u('{"alg":"ES256","typ":"JWT"}')}.${p}.${sig}`
    };
    for(const [what, t] of Object.entries(variants)) {
      const {code, line} = jwtLine(['verify', '--jwk', pub, tmpFile(`tampered-${what}.jwt`, t)]);
      assert.equal(line.verified, false, what);
      assert.equal(code, 1, what);
      assert.equal(line.code, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', what);
    }
    // the right algorithm, the wrong key
    const [, otherPub] = keyPair('ES256', 'other');
    const {code, line} = jwtLine(['verify', '--jwk', otherPub, tmpFile('good.jwt', token)]);
    assert.equal(code, 1);
    assert.equal(line.code, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  test('alg "none" is refused', () => {
    const [, pub] = keyPair('ES256', 'none');
    const unsecured = tmpFile('none.jwt', `${b64u('{"alg":"none","typ":"JWT"}')}.${b64u(payloadText)}.`);
    for(const args of [['--jwk', pub], ['--embedded-jwk']]) {
      const {code, line} = jwtLine(['verify', ...args, unsecured]);
      assert.equal(line.verified, false);
      assert.equal(code, 1);
      assert.equal(line.code, 'ERR_JOSE_ALG_NOT_ALLOWED');
    }
    const {code, line} = jwtLine(['verify', '--jwk', pub, '--alg', 'none', unsecured]);
    assert.equal(code, 2);
    assert.match(line.error, /could not run/);
  });

  test('bad arguments exit 2', () => {
    const [priv, pub] = keyPair('ES256', 'args');
    const t = tmpFile('args.jwt', runJWT(['sign', '--jwk', priv, '--alg', 'ES256', payload()]).stdout);
    for(const args of [
      ['verify', t], // no key
      ['verify', '--jwk', priv, t], // a private JWK to verify
      ['verify', '--jwk', pub, '--alg', 'RS256', t], // a key that cannot do the alg
      ['verify', '--jwk', pub, '--alg', 'HS256', t], // HMAC is never allowed
      ['verify', '--jwk', pub, join(tmp, 'missing.jwt')]
    ]) {
      const {code, line} = jwtLine(args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(line.verified, false);
    }
    assert.equal(runJWT(['sign', '--jwk', pub, '--alg', 'ES256', payload()]).code, 2);
  });
});

describe('vc-jose-cose vectors (jwt.mjs)', {skip: !haveJoseVectors && `no vectors at ${joseVectors}`}, () => {
  const v = f => join(joseVectors, f);
  const cases = [
    // [token, verification method, verifies?]
    ['credential-jose-minimal.txt', 'vm-p256.json', true],
    ['credential-issuer-match-signed.txt', 'vm-ed25519.json', true],
    ['credential-issuer-match-signed.txt', 'vm-did-ed25519.json', true],
    ['credential-jose-unknown-extensions.txt', 'vm-p521.json', true],
    ['credential-jose-bad-media-type.txt', 'vm-ed25519.json', true],
    ['credential-jose-vc-vp-claims.txt', 'vm-ed25519.json', true],
    ['presentation-jose-multiple.txt', 'vm-p384.json', true],
    ['presentation-jose-bad-media-type.txt', 'vm-ed25519.json', true],
    ['presentation-jose-bad-credential.txt', 'vm-ed25519.json', true],
    ['credential-jose-bad-signature.txt', 'vm-ed25519.json', false],
    ['credential-jose-unknown-extensions.txt', 'vm-ed25519.json', false]
  ];
  for(const [token, vm, ok] of cases) {
    test(`${token} with ${vm}: ${ok ? 'signature verifies' : 'refused'}`, () => {
      const {code, line} = jwtLine(['verify', '--jwk', v(vm), v(token)]);
      assert.equal(line.verified, ok, JSON.stringify(line));
      assert.equal(code, ok ? 0 : 1);
    });
  }

  test('jwtVerify refuses the credentials (string "iat") but not a presentation (numeric iat/exp)', () => {
    let r = jwtLine(['verify', '--jwt', '--jwk', v('vm-p256.json'), v('credential-jose-minimal.txt')]);
    assert.equal(r.code, 1);
    assert.match(r.line.error, /"iat" claim must be a number/);
    r = jwtLine(['verify', '--jwt', '--now', '2024-12-16T12:00:00Z', '--jwk', v('vm-p384.json'),
      v('presentation-jose-multiple.txt')]);
    assert.equal(r.code, 0, JSON.stringify(r.line));
    r = jwtLine(['verify', '--jwt', '--now', '2025-01-01T00:00:00Z', '--jwk', v('vm-p384.json'),
      v('presentation-jose-multiple.txt')]);
    assert.equal(r.code, 1);
    assert.equal(r.line.code, 'ERR_JWT_EXPIRED');
  });
});

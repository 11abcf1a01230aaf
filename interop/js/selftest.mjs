// selftest.mjs: checks di.mjs against the committed fixtures and the shared
// test vectors, offline. Run with `npm test` (node --test) after `npm ci`.
// The shared vectors are looked for in ../../../shared/vectors/di-eddsa (or
// $OB_DI_VECTORS); tests that need them are skipped when they are absent.
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

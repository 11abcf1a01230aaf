// adapter.mjs answers the command line the vc-jose-cose test suite runs in
// each implementation's container (tests/test-util.js):
//
//	docker compose -f FILE run --rm NAME (issue|verify) --input /tests/input/F
//	  --key /tests/input/K --feature FEATURE [--sd JSON] --output /tests/output/O
//
// by calling the vcapi server over HTTP, and writes the suite's result file,
// {"result": "success" | "failure" | "indeterminate" | "error", "data": "…"}.
// conformance/jose-cose/docker runs it; /tests is mapped to JOSE_TESTS_DIR
// and the server is VCAPI_BASE_URL.
//
// What it sends:
//   issue credential_jose:   POST /credentials/issue {credential, options:
//     {format: "vc+jwt"}}, the credential's issuer replaced by the server's
//     DID for the key file's curve (the server signs with its own keys; for a
//     curve it has no key for, its P-256 key). 201 → success, data the JWS.
//   issue presentation_jose: POST /presentations {presentation, options:
//     {format: "vp+jwt"}} (VC API "create presentation"), holder likewise.
//   verify credential_jose:  POST /credentials/verify {verifiableCredential:
//     {"@context", type: "EnvelopedVerifiableCredential", id:
//     "data:application/vc+jwt,<JWS>"} (or the JSON as given), options: {}}.
//   verify presentation_jose: POST /presentations/verify, likewise with
//     EnvelopedVerifiablePresentation and application/vp+jwt.
// The key file is the verifier's configuration in this suite: the key it
// trusts for the test. It is not sent in the request (a key the request
// names would be the word of the party being verified): each verification
// runs on a server of its own (VCAPI_BIN, on loopback, started for that one
// request) whose -documents holds the issuer's controller document with
// that key alone (documents.mjs, public members only), so the server finds
// the issuer's key where a verifier does, and a token signed by another of
// the issuer's keys is not verified. 200 with verified: true → success;
// 400 or 422 → failure; anything else (404: no such endpoint, 5xx) → error.
// COSE and SD-JWT features: indeterminate (not implemented).
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {spawn} from 'node:child_process';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {documentsFor} from './documents.mjs';

const args = process.argv.slice(2);
// skip "compose -f FILE run --rm NAME"
let i = args.indexOf('run');
if(args[0] !== 'compose' || i < 0) {
  console.error('adapter: want docker compose -f FILE run --rm NAME …, got',
    args.join(' '));
  process.exit(2);
}
i++;
while(args[i]?.startsWith('--')) {
  i++;
}
const name = args[i++];
const fn = args[i++];
const flags = {};
for(; i < args.length; i++) {
  if(args[i].startsWith('--')) {
    flags[args[i].slice(2)] = args[i + 1];
    i++;
  }
}
const testsDir = process.env.JOSE_TESTS_DIR;
const base = process.env.VCAPI_BASE_URL;
if(!testsDir || !base) {
  console.error('adapter: JOSE_TESTS_DIR and VCAPI_BASE_URL must be set');
  process.exit(2);
}
const local = p => p.startsWith('/tests/') ? join(testsDir, p.slice(7)) : p;
const output = local(flags.output ?? '');

let cleanup = () => {};

function finish(result, data) {
  cleanup();
  mkdirSync(dirname(output), {recursive: true});
  writeFileSync(output, JSON.stringify({result, data}, null, 2));
  console.log(`adapter: ${name} ${fn} ${flags.feature} ${flags.input}: ` +
    `${result}${data && result !== 'success' ? ' (' + data + ')' : ''}`);
  process.exit(0);
}

async function post(path, body, to = base) {
  let res;
  try {
    res = await fetch(to + path, {
      method: 'POST',
      headers: {'content-type': 'application/json', accept: 'application/json'},
      body: JSON.stringify(body)
    });
  } catch(e) {
    finish('error', `POST ${path}: ${e.cause?.message ?? e.message}`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return {status: res.status, json, text};
}

function problem({status, json, text}) {
  const p = json?.problemDetails?.[0] ?? json?.errors?.[0] ?? json;
  const detail = p?.detail ?? p?.title ?? p?.message ?? text;
  return `${status}: ${typeof detail === 'string' ? detail : JSON.stringify(
    detail)}`.slice(0, 1000);
}

const feature = flags.feature;
const [kind, mech] = feature?.split('_') ?? [];
if(mech !== 'jose') {
  finish('indeterminate', `${feature} is not implemented by examples/vcapi`);
}
const input = readFileSync(local(flags.input), 'utf8').trim();
const key = JSON.parse(readFileSync(local(flags.key), 'utf8'));
const media = kind === 'credential' ? 'vc+jwt' : 'vp+jwt';

if(fn === 'issue') {
  const issuers = await (await fetch(base + '/issuers')).json();
  const crv = key.publicKeyJwk?.crv;
  const issuer = issuers.find(x => x.keyType === crv) ??
    issuers.find(x => x.keyType === 'P-256');
  const doc = JSON.parse(input);
  const who = kind === 'credential' ? 'issuer' : 'holder';
  if(doc[who] && typeof doc[who] === 'object') {
    doc[who].id = issuer.id;
  } else {
    doc[who] = issuer.id;
  }
  const path = kind === 'credential' ? '/credentials/issue' : '/presentations';
  const r = await post(path, {[kind]: doc, options: {format: media}});
  if(r.status === 200 || r.status === 201) {
    const v = kind === 'credential' ? r.json?.verifiableCredential :
      r.json?.verifiablePresentation;
    const jws = typeof v === 'string' ? v :
      typeof v?.id === 'string' ? v.id.slice(v.id.indexOf(',') + 1) :
        JSON.stringify(v);
    finish('success', jws);
  }
  finish(r.status === 400 || r.status === 422 ? 'failure' : 'error',
    problem(r));
}

if(fn === 'verify') {
  let secured;
  if(input.startsWith('{')) {
    secured = JSON.parse(input);
  } else {
    secured = {
      '@context': 'https://www.w3.org/ns/credentials/v2',
      type: kind === 'credential' ? 'EnvelopedVerifiableCredential' :
        'EnvelopedVerifiablePresentation',
      id: `data:application/${media},${input}`
    };
  }
  const path = kind === 'credential' ? '/credentials/verify' :
    '/presentations/verify';
  const member = kind === 'credential' ? 'verifiableCredential' :
    'verifiablePresentation';
  const verifier = await startVerifier(local(flags.key));
  const r = await post(path, {[member]: secured, options: {}}, verifier);
  if(r.status === 200 && r.json?.verified === true) {
    finish('success', '');
  }
  if(r.status === 200 || r.status === 400 || r.status === 422) {
    finish('failure', problem(r));
  }
  finish('error', problem(r));
}

finish('error', `unknown function ${fn}`);

// startVerifier starts VCAPI_BIN on loopback with -documents holding the
// key file's controller document with that key alone, and returns its URL
// once it listens; finish stops it.
async function startVerifier(keyFile) {
  const bin = process.env.VCAPI_BIN;
  if(!bin) {
    finish('error', 'VCAPI_BIN must be set to verify');
  }
  const dir = mkdtempSync(join(tmpdir(), 'jose-cose-verifier-'));
  const docs = join(dir, 'documents.json');
  try {
    writeFileSync(docs, JSON.stringify(documentsFor([keyFile])));
  } catch(e) {
    finish('error', e.message);
  }
  const child = spawn(bin, ['-addr', '127.0.0.1:0', '-documents', docs],
    {stdio: ['ignore', 'ignore', 'pipe']});
  cleanup = () => {
    child.kill('SIGKILL');
    rmSync(dir, {recursive: true, force: true});
  };
  return new Promise(resolve => {
    let out = '';
    const timer = setTimeout(
      () => finish('error', `the verifier did not start: ${out}`), 10000);
    child.stderr.on('data', chunk => {
      out += chunk;
      const m = /listening on ([^\s)]+)/.exec(out);
      if(m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    child.on('exit', code => finish('error',
      `the verifier exited (${code}): ${out}`));
  });
}

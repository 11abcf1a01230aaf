#!/usr/bin/env node
// vp.mjs: offline Verifiable Presentation sign / verify with Digital
// Bazaar's @digitalbazaar/vc (signPresentation, verify) and a
// DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite, for the Go
// interop tests. See README.md. Like di.mjs, nothing touches the network:
// fetch, sockets and DNS are disabled before any library is loaded, and the
// documentLoader serves only the given contexts and documents, and did:key.
//
//   node vp.mjs sign --contexts CONTEXTS.json --key KEY.json --challenge C
//       [--domain D] [--created DATETIME] [--documents DOCS.json]... PRESENTATION.json
//   node vp.mjs verify --contexts CONTEXTS.json --challenge C [--domain D]
//       [--documents DOCS.json]... [--now DATETIME] SIGNED.json
//
// sign prints the signed presentation (exit 0; 1 if the library refused, 2 if
// it could not run). verify prints one JSON line, {"verified": true|false,
// "error": …, "credentialResults": [{"verified": …, "error": …}, …]}, and
// exits 0 verified, 1 not, 2 could not run.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import {disableNetwork, offlineDocumentLoader} from './lib/offline.mjs';

const out = process.stdout.write.bind(process.stdout);
console.log = console.info = console.warn = console.debug = console.error;

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_CANNOT_RUN = 2;

class UsageError extends Error {}

const usage = `usage:
  node vp.mjs sign --contexts CONTEXTS.json --key KEY.json --challenge C [--domain D] [--created DATETIME] [--documents DOCS.json]... PRESENTATION.json
  node vp.mjs verify --contexts CONTEXTS.json --challenge C [--domain D] [--documents DOCS.json]... [--now DATETIME] SIGNED.json`;

function readJSON(path, what) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch(e) {
    throw new UsageError(`${what} ${path}: ${e.message}`);
  }
}

function parse(argv, options) {
  let parsed;
  try {
    parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
  } catch(e) {
    throw new UsageError(e.message);
  }
  if(parsed.positionals.length !== 1) {
    throw new UsageError(`expected 1 file argument, got ${parsed.positionals.length}`);
  }
  const v = parsed.values;
  if(!v.contexts || !v.challenge) {
    throw new UsageError('--contexts and --challenge are required');
  }
  const documents = Object.assign({}, ...(v.documents ?? []).map(p => readJSON(p, 'documents')));
  return {v, file: parsed.positionals[0], contexts: readJSON(v.contexts, 'contexts'), documents};
}

function date(s, flag) {
  if(s === undefined) {
    return undefined;
  }
  const d = new Date(s);
  if(isNaN(d)) {
    throw new UsageError(`${flag} ${s} is not a date`);
  }
  return d;
}

// message flattens an error and the errors it holds into one line.
function message(e, seen = new Set()) {
  if(!e || typeof e !== 'object' || seen.has(e)) {
    return e ? String(e) : '';
  }
  seen.add(e);
  const parts = [e.name && e.message ? `${e.name}: ${e.message}` : String(e.message ?? e)];
  for(const sub of [...(Array.isArray(e.errors) ? e.errors : []), e.cause].filter(Boolean)) {
    const t = message(sub, seen);
    if(t && !parts.includes(t)) {
      parts.push(t);
    }
  }
  return parts.join('; ');
}

async function libraries() {
  disableNetwork();
  return {
    vc: await import('@digitalbazaar/vc'),
    DataIntegrityProof: (await import('@digitalbazaar/data-integrity')).DataIntegrityProof,
    cryptosuite: (await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite')).cryptosuite,
    Ed25519Multikey: await import('@digitalbazaar/ed25519-multikey')
  };
}

async function sign(argv) {
  const {v, file, contexts, documents} = parse(argv, {
    contexts: {type: 'string'}, key: {type: 'string'}, challenge: {type: 'string'},
    domain: {type: 'string'}, created: {type: 'string'}, documents: {type: 'string', multiple: true}
  });
  if(!v.key) {
    throw new UsageError('--key is required');
  }
  const key = readJSON(v.key, 'key');
  const presentation = readJSON(file, 'presentation');
  const created = date(v.created, '--created');
  const {vc, DataIntegrityProof, cryptosuite, Ed25519Multikey} = await libraries();
  let keyPair;
  try {
    keyPair = await Ed25519Multikey.from({type: 'Multikey', ...key});
  } catch(e) {
    throw new UsageError(`key ${v.key}: ${message(e)}`);
  }
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite, date: created});
  try {
    const signed = await vc.signPresentation({
      presentation, suite, challenge: v.challenge, domain: v.domain,
      documentLoader: offlineDocumentLoader({contexts, documents})
    });
    out(JSON.stringify(signed, null, 2) + '\n');
    return EXIT_OK;
  } catch(e) {
    process.stderr.write(`sign: ${message(e)}\n`);
    return EXIT_FAIL;
  }
}

async function verify(argv) {
  const {v, file, contexts, documents} = parse(argv, {
    contexts: {type: 'string'}, challenge: {type: 'string'}, domain: {type: 'string'},
    now: {type: 'string'}, documents: {type: 'string', multiple: true}
  });
  const presentation = readJSON(file, 'presentation');
  const now = date(v.now, '--now');
  const {vc, DataIntegrityProof, cryptosuite} = await libraries();
  const result = await vc.verify({
    presentation, suite: new DataIntegrityProof({cryptosuite}),
    challenge: v.challenge, domain: v.domain, now,
    documentLoader: offlineDocumentLoader({contexts, documents}),
    // the credentials' status is the Go side's business here
    checkStatus: async () => ({verified: true})
  });
  const line = {verified: result.verified === true};
  if(!line.verified) {
    line.error = message(result.error) || message(result.presentationResult?.error) || 'not verified';
  }
  line.credentialResults = (result.credentialResults ?? []).map(r =>
    r.verified ? {verified: true} : {verified: false, error: message(r.error) || 'not verified'});
  out(JSON.stringify(line) + '\n');
  return line.verified ? EXIT_OK : EXIT_FAIL;
}

const commands = {sign, verify};
const [cmd, ...rest] = process.argv.slice(2);
try {
  if(!commands[cmd]) {
    throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command');
  }
  process.exitCode = await commands[cmd](rest);
} catch(e) {
  const msg = e instanceof UsageError ? `${e.message}\n${usage}` : (e?.stack ?? String(e));
  process.stderr.write(`vp.mjs: ${msg}\n`);
  if(cmd === 'verify') {
    out(JSON.stringify({verified: false, error: `could not run: ${message(e)}`}) + '\n');
  }
  process.exitCode = EXIT_CANNOT_RUN;
}

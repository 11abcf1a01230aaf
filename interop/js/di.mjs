#!/usr/bin/env node
// di.mjs: offline Data Integrity (eddsa-rdfc-2022, ecdsa-rdfc-2019,
// eddsa-jcs-2022, ecdsa-jcs-2019) sign / verify harness for the Go interop
// tests. See README.md. No command touches the network: global fetch, sockets
// and DNS are disabled before any library is loaded, and the JSON-LD
// documentLoader serves only what it is given (plus did:key, resolved
// locally).
//
//   node di.mjs keygen [--controller URL] [--type Ed25519|P-256|P-384]
//   node di.mjs sign --contexts CONTEXTS.json --key KEY.json [--cryptosuite NAME]
//       [--created 2024-01-01T00:00:00Z] [--documents DOCS.json]... [--proof-only]
//       CREDENTIAL.json
//   node di.mjs verify --contexts CONTEXTS.json [--documents DOCS.json]...
//       [--now DATETIME] [--proof-only] SIGNED.json
//   node di.mjs dcc-verify --contexts CONTEXTS.json [--documents DOCS.json]...
//       [--registries REGISTRIES.json] [--bundled-loader] SIGNED.json
//   node di.mjs canonize --contexts CONTEXTS.json [--cryptosuite NAME]
//       [--digest sha256|sha384] DOCUMENT.json
//
// verify / dcc-verify print one JSON line and exit 0 when verified, 1 when
// not, 2 when they could not run. sign prints the signed credential and exits
// 0, 1 when the library refused to sign, 2 when it could not run. keygen prints
// a KEY.json. canonize prints the canonical form of the document without its
// proof, as the cryptosuite makes it, and exits like sign.
import {readFileSync} from 'node:fs';
import {register} from 'node:module';
import {parseArgs} from 'node:util';

import {blocked, disableNetwork, offlineDocumentLoader} from './lib/offline.mjs';

// stdout carries only this program's result; libraries that log (verifier-core
// logs schema and registry fetch failures with console.log) go to stderr.
const out = process.stdout.write.bind(process.stdout);
console.log = console.info = console.warn = console.debug = console.error;

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_CANNOT_RUN = 2;

class UsageError extends Error {}

function readJSON(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch(e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch(e) {
    throw new UsageError(`${what} ${path} is not JSON: ${e.message}`);
  }
}

// readMaps merges the maps in several files (a later file wins for a URL).
function readMaps(paths = [], what) {
  return Object.assign({}, ...paths.map(p => readMap(p, what)));
}

function readMap(path, what) {
  const m = readJSON(path, what);
  if(!m || typeof m !== 'object' || Array.isArray(m)) {
    throw new UsageError(`${what} ${path} must be a JSON object (URL -> document)`);
  }
  return m;
}

// errorText flattens a jsonld-signatures / vc / jsonld error (which may hold
// nested `errors`, a `cause` and jsonld's `details`) into one line.
function errorText(e, seen = new Set()) {
  if(e === undefined || e === null) {
    return '';
  }
  if(typeof e !== 'object') {
    return String(e);
  }
  if(seen.has(e)) {
    return '';
  }
  seen.add(e);
  const parts = [];
  let head = e.message ?? '';
  if(e.name && e.name !== 'Error' && !head.startsWith(e.name)) {
    head = `${e.name}: ${head}`;
  }
  if(head) {
    parts.push(head);
  }
  const ev = e.details?.event;
  if(ev) {
    parts.push(`[${ev.code ?? ''}${ev.message ? ': ' + ev.message : ''}` +
      `${ev.details?.term ? ' term=' + JSON.stringify(ev.details.term) : ''}` +
      `${ev.details?.property ? ' property=' + JSON.stringify(ev.details.property) : ''}` +
      `${ev.details?.iri ? ' iri=' + JSON.stringify(ev.details.iri) : ''}` +
      `${ev.details?.relativeIri ? ' relativeIri=' + JSON.stringify(ev.details.relativeIri) : ''}]`);
  } else if(e.details?.url) {
    parts.push(`(url ${e.details.url})`);
  }
  for(const sub of Array.isArray(e.errors) ? e.errors : []) {
    const t = errorText(sub, seen);
    if(t && !parts.includes(t)) {
      parts.push(t);
    }
  }
  const cause = e.cause ?? e.details?.cause;
  if(cause) {
    const t = errorText(cause, seen);
    if(t && !parts.includes(t)) {
      parts.push(`cause: ${t}`);
    }
  }
  return parts.join('; ');
}

function printLine(obj) {
  out(JSON.stringify(obj) + '\n');
}

const usage = `usage:
  node di.mjs keygen [--controller URL] [--type Ed25519|P-256|P-384]
  node di.mjs sign --contexts CONTEXTS.json --key KEY.json [--cryptosuite NAME] [--created DATETIME] [--documents DOCS.json]... [--proof-only] CREDENTIAL.json
  node di.mjs verify --contexts CONTEXTS.json [--documents DOCS.json]... [--now DATETIME] [--proof-only] SIGNED.json
  node di.mjs dcc-verify --contexts CONTEXTS.json [--documents DOCS.json]... [--registries REGISTRIES.json] [--bundled-loader] SIGNED.json
  node di.mjs canonize --contexts CONTEXTS.json [--cryptosuite NAME] [--digest sha256|sha384] DOCUMENT.json
NAME: eddsa-rdfc-2022 (the default), ecdsa-rdfc-2019, eddsa-jcs-2022, ecdsa-jcs-2019`;

// cryptosuites maps each cryptosuite name to its digitalbazaar package and
// how to get the suite for signing or verifying: the RDFC packages export
// one object; the JCS packages a factory for each.
const cryptosuites = {
  'eddsa-rdfc-2022': {pkg: '@digitalbazaar/eddsa-rdfc-2022-cryptosuite', ecdsa: false},
  'ecdsa-rdfc-2019': {pkg: '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite', ecdsa: true},
  'eddsa-jcs-2022': {pkg: '@digitalbazaar/eddsa-jcs-2022-cryptosuite', ecdsa: false, jcs: true},
  'ecdsa-jcs-2019': {pkg: '@digitalbazaar/ecdsa-jcs-2019-cryptosuite', ecdsa: true, jcs: true}
};

function suiteName(name = 'eddsa-rdfc-2022') {
  if(!Object.hasOwn(cryptosuites, name)) {
    throw new UsageError(`unknown cryptosuite "${name}"`);
  }
  return name;
}

// loadCryptosuite returns the cryptosuite object of name, for signing if
// sign, else for verifying.
async function loadCryptosuite(name, {sign}) {
  const {pkg, jcs} = cryptosuites[name];
  const mod = await import(pkg);
  if(!jcs) {
    return mod.cryptosuite;
  }
  return sign ? mod.createSignCryptosuite() : mod.createVerifyCryptosuite();
}

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

// ---------------------------------------------------------------- keygen

async function keygen(argv) {
  const {values} = parse(argv, {controller: {type: 'string'}, type: {type: 'string'}}, 0);
  const type = values.type ?? 'Ed25519';
  if(!['Ed25519', 'P-256', 'P-384'].includes(type)) {
    throw new UsageError(`--type ${type}: want Ed25519, P-256 or P-384`);
  }
  disableNetwork();
  let kp;
  if(type === 'Ed25519') {
    const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey');
    kp = await Ed25519Multikey.generate();
  } else {
    const EcdsaMultikey = await import('@digitalbazaar/ecdsa-multikey');
    kp = await EcdsaMultikey.generate({curve: type});
  }
  // canonicalize: the Ed25519 secret key as the 32-byte seed (multicodec
  // 0x1300 + seed, "z3u2..."), not the 64-byte seed+public key that
  // generate() holds.
  const {publicKeyMultibase, secretKeyMultibase} =
    await kp.export({publicKey: true, secretKey: true, includeContext: false, canonicalize: true});
  const controller = values.controller ?? `did:key:${publicKeyMultibase}`;
  const key = {
    id: `${controller}#${publicKeyMultibase}`,
    controller,
    publicKeyMultibase,
    secretKeyMultibase
  };
  out(JSON.stringify(key, null, 2) + '\n');
  return EXIT_OK;
}

// ---------------------------------------------------------------- sign

async function sign(argv) {
  const {values, positionals} = parse(argv, {
    contexts: {type: 'string'},
    key: {type: 'string'},
    cryptosuite: {type: 'string'},
    created: {type: 'string'},
    documents: {type: 'string', multiple: true},
    'proof-only': {type: 'boolean'}
  }, 1);
  if(!values.contexts || !values.key) {
    throw new UsageError('sign needs --contexts and --key');
  }
  const name = suiteName(values.cryptosuite);
  const contexts = readMap(values.contexts, 'contexts');
  const documents = readMaps(values.documents, 'documents');
  const key = readJSON(values.key, 'key');
  const credential = readJSON(positionals[0], 'credential');
  for(const f of ['id', 'controller', 'publicKeyMultibase', 'secretKeyMultibase']) {
    if(typeof key[f] !== 'string') {
      throw new UsageError(`key ${values.key} lacks string "${f}"`);
    }
  }
  let date;
  if(values.created !== undefined) {
    date = new Date(values.created);
    if(isNaN(date)) {
      throw new UsageError(`--created ${values.created} is not a date`);
    }
  }

  disableNetwork();
  const vc = await import('@digitalbazaar/vc');
  const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
  const cryptosuite = await loadCryptosuite(name, {sign: true});
  const Multikey = await import(cryptosuites[name].ecdsa ?
    '@digitalbazaar/ecdsa-multikey' : '@digitalbazaar/ed25519-multikey');

  let keyPair;
  try {
    keyPair = await Multikey.from({
      type: 'Multikey',
      id: key.id,
      controller: key.controller,
      publicKeyMultibase: key.publicKeyMultibase,
      secretKeyMultibase: key.secretKeyMultibase
    });
  } catch(e) {
    throw new UsageError(`key ${values.key}: ${errorText(e)}`);
  }
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite, date});
  const documentLoader = offlineDocumentLoader({contexts, documents});
  let signed;
  try {
    if(values['proof-only']) {
      // the proof alone (jsonld-signatures, assertionMethod purpose): no VC
      // data model checks (vc.issue wants an array @context, for one).
      const {default: jsigs} = await import('jsonld-signatures');
      signed = await jsigs.sign(credential, {
        suite, documentLoader, purpose: new jsigs.purposes.AssertionProofPurpose()
      });
    } else {
      signed = await vc.issue({credential, suite, documentLoader});
    }
  } catch(e) {
    process.stderr.write(`sign: ${errorText(e)}\n`);
    return EXIT_FAIL;
  }
  out(JSON.stringify(signed, null, 2) + '\n');
  return EXIT_OK;
}

// ---------------------------------------------------------------- verify

async function verify(argv) {
  const {values, positionals} = parse(argv, {
    contexts: {type: 'string'},
    documents: {type: 'string', multiple: true},
    now: {type: 'string'},
    'proof-only': {type: 'boolean'}
  }, 1);
  if(!values.contexts) {
    throw new UsageError('verify needs --contexts');
  }
  const contexts = readMap(values.contexts, 'contexts');
  const documents = readMaps(values.documents, 'documents');
  const credential = readJSON(positionals[0], 'credential');
  let now;
  if(values.now !== undefined) {
    now = new Date(values.now);
    if(isNaN(now)) {
      throw new UsageError(`--now ${values.now} is not a date`);
    }
  }

  disableNetwork();
  const vc = await import('@digitalbazaar/vc');
  const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');

  // one DataIntegrityProof per cryptosuite: jsonld-signatures picks the one
  // whose cryptosuite a proof names.
  const suite = await Promise.all(Object.keys(cryptosuites).map(async name =>
    new DataIntegrityProof({cryptosuite: await loadCryptosuite(name, {sign: false})})));
  const documentLoader = offlineDocumentLoader({contexts, documents});
  if(values['proof-only']) {
    // the proof alone (jsonld-signatures, assertionMethod purpose): no VC
    // data model checks and no check that the issuer is the controller of
    // the verification method.
    const {default: jsigs} = await import('jsonld-signatures');
    const result = await jsigs.verify(credential, {
      suite, documentLoader,
      purpose: new jsigs.purposes.AssertionProofPurpose({date: now})
    });
    const line = {verified: result.verified === true, mode: 'proof-only'};
    if(!line.verified) {
      line.error = errorText(result.error) || 'not verified (no error given)';
    }
    printLine(line);
    return line.verified ? EXIT_OK : EXIT_FAIL;
  }
  const hasStatus = credential && typeof credential === 'object' &&
    'credentialStatus' in credential;
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, now,
    // credentialStatus is not checked: a status list would need the network.
    checkStatus: hasStatus ? async () => ({verified: true}) : undefined
  });
  const line = {verified: result.verified === true};
  if(!line.verified) {
    line.error = errorText(result.error) ||
      (result.results ?? []).map(r => errorText(r.error)).filter(Boolean).join('; ') ||
      'not verified (no error given)';
  }
  if(hasStatus) {
    line.credentialStatus = 'not checked';
  }
  printLine(line);
  return line.verified ? EXIT_OK : EXIT_FAIL;
}

// ---------------------------------------------------------------- canonize

async function canonize(argv) {
  const {values, positionals} = parse(argv, {
    contexts: {type: 'string'},
    cryptosuite: {type: 'string'},
    digest: {type: 'string'}
  }, 1);
  if(!values.contexts) {
    throw new UsageError('canonize needs --contexts');
  }
  const name = suiteName(values.cryptosuite);
  const digest = values.digest ?? 'sha256';
  if(digest !== 'sha256' && digest !== 'sha384') {
    throw new UsageError(`--digest ${digest}: want sha256 or sha384`);
  }
  const contexts = readMap(values.contexts, 'contexts');
  const document = readJSON(positionals[0], 'document');
  if(!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new UsageError(`document ${positionals[0]} must be a JSON object`);
  }
  delete document.proof;

  disableNetwork();
  const cryptosuite = await loadCryptosuite(name, {sign: false});
  const documentLoader = offlineDocumentLoader({contexts});
  let text;
  try {
    // the options DataIntegrityProof (eddsa-rdfc-2022) and the
    // ecdsa-rdfc-2019 suite pass when they canonize a document; the JCS
    // suites take none.
    text = await cryptosuite.canonize(document, {
      documentLoader, safe: true, base: null, skipExpansion: false,
      messageDigestAlgorithm: digest === 'sha384' ? 'SHA-384' : 'SHA-256'
    });
  } catch(e) {
    process.stderr.write(`canonize: ${errorText(e)}\n`);
    return EXIT_FAIL;
  }
  out(text);
  return EXIT_OK;
}

// ---------------------------------------------------------------- dcc-verify

// dccChecks turns verifier-core's result into {checks, notes}: one entry per
// check it has, each "passed", "failed", "error" or "skipped".
function dccChecks({result, credential, registries}) {
  const checks = {};
  const notes = {};
  const set = (id, status, note) => {
    checks[id] = status;
    if(note) {
      notes[id] = note;
    }
  };
  const hasStatus = !!credential?.credentialStatus;
  if(result.errors) {
    // fatal: verifier-core stops before the other steps.
    const names = result.errors.map(e => e.name);
    set('valid_signature',
      names.includes('invalid_signature') ? 'failed' : 'error',
      result.errors.map(e => `${e.name}: ${e.message}`).join('; '));
    for(const id of ['expiration', hasStatus ? 'revocation_status' : null,
      'registered_issuer', 'schema_check'].filter(Boolean)) {
      set(id, 'skipped', 'not run: fatal error');
    }
    return {checks, notes};
  }
  const log = result.log ?? [];
  for(const entry of log) {
    if(entry.id === 'registered_issuer') {
      continue;
    }
    if('error' in entry) {
      set(entry.id, 'error', `${entry.error?.name}: ${entry.error?.message}`);
    } else {
      set(entry.id, entry.valid ? 'passed' : 'failed');
    }
  }
  if(!('valid_signature' in checks)) {
    set('valid_signature', 'error', 'verifier-core returned no valid_signature entry');
  }
  if(!('expiration' in checks)) {
    set('expiration', 'skipped', 'verifier-core returned no expiration entry');
  }
  if(!hasStatus) {
    set('revocation_status', 'skipped', 'credential has no credentialStatus');
  } else if(!log.some(e => e.id.endsWith('_status'))) {
    set('revocation_status', 'skipped',
      `no status entry in verifier-core's log (credentialStatus type ` +
      `${JSON.stringify([].concat(credential.credentialStatus)[0]?.type)} ` +
      'is not checked by verifier-core)');
  }
  const reg = log.find(e => e.id === 'registered_issuer');
  if(!reg) {
    set('registered_issuer', 'skipped', 'no registered_issuer entry');
  } else if(registries.length === 0) {
    set('registered_issuer', 'skipped', 'no knownDIDRegistries given');
  } else if(reg.valid) {
    set('registered_issuer', 'passed',
      `in ${reg.matchingIssuers.length} registr${reg.matchingIssuers.length === 1 ? 'y' : 'ies'}`);
  } else {
    set('registered_issuer', 'failed',
      `issuer in none of the registries; unchecked: ${JSON.stringify(reg.uncheckedRegistries)}`);
  }
  const schema = (result.additionalInformation ?? []).find(e => e.id === 'schema_check');
  if(!schema) {
    set('schema_check', 'skipped', 'no schema_check entry');
  } else if(Array.isArray(schema.results)) {
    const bad = schema.results.filter(r => !r.result?.valid);
    if(bad.length === 0) {
      set('schema_check', 'passed', schema.results.map(r => `${r.schema} (${r.source})`).join('; '));
    } else {
      set('schema_check', 'failed', bad.map(r =>
        `${r.schema}: ${(r.result?.errors ?? []).map(x => `${x.instancePath} ${x.message}`).join(', ')}`
      ).join('; '));
    }
  } else if(schema.results === 'NO_SCHEMA') {
    set('schema_check', 'skipped', 'verifier-core knows no schema for this credential');
  } else {
    const schemaBlocked = blocked.filter(u => /schema/i.test(u));
    if(schemaBlocked.length > 0) {
      set('schema_check', 'skipped',
        `schema not available offline (pass it with --documents): ${schemaBlocked.join(', ')}`);
    } else {
      set('schema_check', 'error', String(schema.results));
    }
  }
  return {checks, notes};
}

async function dccVerify(argv) {
  const {values, positionals} = parse(argv, {
    contexts: {type: 'string'},
    documents: {type: 'string', multiple: true},
    registries: {type: 'string'},
    'bundled-loader': {type: 'boolean'}
  }, 1);
  if(!values.contexts) {
    throw new UsageError('dcc-verify needs --contexts');
  }
  const contexts = readMap(values.contexts, 'contexts');
  const documents = readMaps(values.documents, 'documents');
  let registries = [];
  if(values.registries) {
    registries = readJSON(values.registries, 'registries');
    if(!Array.isArray(registries)) {
      throw new UsageError('registries must be a JSON array of registry entries');
    }
  }
  const credential = readJSON(positionals[0], 'credential');

  // fetch serves --documents (JSON Schemas for the schema check, dcc-legacy
  // registry lists); nothing else. With --bundled-loader verifier-core keeps
  // its own documentLoader (bundled contexts, fetch for the rest), so
  // --contexts is then NOT used: whatever it does not bundle fails.
  disableNetwork({fetchable: new Map(Object.entries(documents))});
  const bundled = !!values['bundled-loader'];
  if(!bundled) {
    globalThis.__obInteropDocumentLoader = offlineDocumentLoader({contexts, documents});
  }
  register('./lib/dcc-hooks.mjs', import.meta.url, {data: {offlineLoader: !bundled}});
  const {verifyCredential} = await import('@digitalcredentials/verifier-core');
  const result = await verifyCredential({credential, knownDIDRegistries: registries});

  const {checks, notes} = dccChecks({result, credential, registries});
  const statusOK = Object.entries(checks)
    .filter(([id]) => id.endsWith('_status'))
    .every(([, s]) => s === 'passed' || s === 'skipped');
  const verified = !result.errors && checks.valid_signature === 'passed' &&
    checks.expiration !== 'failed' && statusOK;
  const line = {verified};
  if(!verified) {
    const failed = Object.entries(checks)
      .filter(([id, s]) => (s === 'failed' || s === 'error') &&
        id !== 'schema_check' && id !== 'registered_issuer')
      .map(([id, s]) => `${id} ${s}${notes[id] ? ': ' + notes[id] : ''}`);
    // verifier-core reduces most errors to "The signature is not valid.";
    // the raw @digitalcredentials/vc result says what actually went wrong.
    const raw = globalThis.__obInteropDccRaw;
    const cause = raw && raw.verified === false ?
      errorText(raw.error) ||
        (raw.results ?? []).map(r => errorText(r.error)).filter(Boolean).join('; ') : '';
    line.error = [...failed, ...(cause ? [`underlying @digitalcredentials/vc error: ${cause}`] : [])]
      .join('; ') || 'not verified';
  }
  line.checks = checks;
  line.notes = notes;
  line.loader = bundled ?
    'verifier-core bundled (@digitalcredentials/security-document-loader), network disabled' :
    'offline (--contexts/--documents/did:key)';
  if(blocked.length > 0) {
    line.blocked = [...new Set(blocked)];
  }
  printLine(line);
  return verified ? EXIT_OK : EXIT_FAIL;
}

// ---------------------------------------------------------------- main

const commands = {keygen, sign, verify, 'dcc-verify': dccVerify, canonize};
const [cmd, ...rest] = process.argv.slice(2);
const isVerify = cmd === 'verify' || cmd === 'dcc-verify';
try {
  if(!commands[cmd]) {
    throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command');
  }
  process.exitCode = await commands[cmd](rest);
} catch(e) {
  const msg = e instanceof UsageError ? `${e.message}\n${usage}` : (e?.stack ?? String(e));
  process.stderr.write(`di.mjs: ${msg}\n`);
  if(isVerify) {
    printLine({verified: false, error: `could not run: ${e instanceof UsageError ? e.message : errorText(e)}`});
  }
  process.exitCode = EXIT_CANNOT_RUN;
}

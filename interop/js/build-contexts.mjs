#!/usr/bin/env node
// build-contexts.mjs: writes the CONTEXTS.json map (URL -> JSON-LD context
// document) that di.mjs takes, from the table of embedded files in
// ../../schema/files.go. Used for manual runs and for making the fixtures; the
// Go interop test builds the same map from the package's embedded files.
//
//   node build-contexts.mjs [--published-ob303] [--schemas] [--out FILE]
//
// Without --schemas: every KindContext row (the OB 3.0.3 context URL maps to
// contexts/ob-v3p0-context-3.0.3.validator-bundled.json); with
// --published-ob303 that URL maps to the KindAlternateContext file
// contexts/ob-v3p0-context-3.0.3.json instead.
// With --schemas: every KindSchema row instead (URL -> JSON Schema), a map to
// pass to `di.mjs dcc-verify --documents` so verifier-core's schema check can
// run offline.
// Each file's SHA-256 is checked against the table.
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = join(here, '..', '..', 'schema');

const args = process.argv.slice(2);
let out = null;
let publishedOB303 = false;
let schemas = false;
for(let i = 0; i < args.length; i++) {
  if(args[i] === '--out') {
    out = args[++i];
  } else if(args[i] === '--published-ob303') {
    publishedOB303 = true;
  } else if(args[i] === '--schemas') {
    schemas = true;
  } else {
    console.error(`unknown argument ${args[i]}`);
    process.exit(2);
  }
}

const src = readFileSync(join(schemaDir, 'files.go'), 'utf8');
const consts = {};
for(const m of src.matchAll(/^\s*(?:const\s+)?(\w+)\s*(?:string\s*)?=\s*"([^"]+)"/gm)) {
  consts[m[1]] = m[2];
}
const rowRe =
  /\{\s*("([^"]+)"|(\w+))\s*,\s*"([^"]+)"\s*,\s*"([0-9a-f]{64})"\s*,\s*(Kind\w+)\s*\}/g;
const map = {};
let rows = 0;
for(const m of src.matchAll(rowRe)) {
  const url = m[2] ?? consts[m[3]];
  const [, , , , name, sha, kind] = m;
  if(!url) {
    throw new Error(`cannot resolve URL constant ${m[3]}`);
  }
  let want;
  if(schemas) {
    want = kind === 'KindSchema';
  } else if(kind === 'KindContext') {
    want = !(publishedOB303 && name.endsWith('.validator-bundled.json'));
  } else if(kind === 'KindAlternateContext') {
    want = publishedOB303;
  }
  if(!want) {
    continue;
  }
  const bytes = readFileSync(join(schemaDir, name));
  const got = createHash('sha256').update(bytes).digest('hex');
  if(got !== sha) {
    throw new Error(`${name}: SHA-256 ${got}, files.go says ${sha}`);
  }
  map[url] = JSON.parse(bytes.toString('utf8'));
  rows++;
}
if(rows === 0) {
  throw new Error('no rows parsed from files.go');
}
const text = JSON.stringify(map, null, 2) + '\n';
if(out) {
  writeFileSync(out, text);
  console.error(`wrote ${Object.keys(map).length} documents to ${out}`);
} else {
  process.stdout.write(text);
}

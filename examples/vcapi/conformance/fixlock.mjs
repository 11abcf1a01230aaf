// fixlock.mjs edits a suite's package-lock.json for conformance.sh --prepare:
//
//	node fixlock.mjs DIR git          drop entries resolved from a git host
//	node fixlock.mjs DIR 404 NPM_LOG  drop entries whose tarball npm could not
//	                                  get (E404 in NPM_LOG); exit 1 if none
//
// so that npm resolves those packages again: the git dependencies from the
// file: links conformance.sh sets, the others within their semver range.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const [dir, mode, logFile] = process.argv.slice(2);
const file = join(dir, 'package-lock.json');
if(!existsSync(file)) {
  process.exit(mode === '404' ? 1 : 0);
}
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};
let drop;
if(mode === 'git') {
  drop = (key, v) => key !== '' && typeof v.resolved === 'string' &&
    /^git\+|^git:|github\.com|codeload\./.test(v.resolved);
} else if(mode === '404') {
  const urls = new Set([...readFileSync(logFile, 'utf8')
    .matchAll(/404 Not Found - GET (\S+)/g)].map(m => m[1]));
  drop = (key, v) => urls.has(v.resolved);
} else {
  console.error('usage: node fixlock.mjs DIR git | DIR 404 NPM_LOG');
  process.exit(2);
}
// an entry's own dependencies, nested under it, go with it
const top = Object.keys(packages).filter(k => drop(k, packages[k]));
const dropped = Object.keys(packages).filter(k =>
  top.some(t => k === t || k.startsWith(t + '/node_modules/')));
for(const k of dropped) {
  delete packages[k];
  console.error(`fixlock: ${file}: dropped ${k}`);
}
if(dropped.length) {
  writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
}
process.exit(mode === '404' && !dropped.length ? 1 : 0);

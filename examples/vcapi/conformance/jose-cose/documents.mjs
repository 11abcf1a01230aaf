// documents.mjs writes the offline map (vcapi -documents) that declares the
// vc-jose-cose suite's issuers as their own documents would: the suite
// hands an implementation one key file a test (--key vm-*.json, a
// verification method with its secret key), where a verifier finds an
// issuer's keys in the issuer's controller document (VC-JOSE-COSE, Key
// Discovery). For each controller the key files name, one document lists
// every key of that controller, public members only, under assertionMethod
// and authentication.
//
//	node documents.mjs INPUT_DIR OUT_FILE
//
// INPUT_DIR is the suite's tests/input. OUT_FILE gets
// {"<controller>": <its document>, …}, the form openbadges verify
// --offline-map and vcapi -documents read. adapter.mjs imports
// documentsFor to make the map of one key file.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

// The JWK members that carry private key material (RFC 7518 §6.2.2,
// §6.3.2, §6.4; RFC 8037 §2).
const privateJWK = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

// documentsFor returns the offline map for the key files (paths of
// vm-*.json): one document per controller, listing its keys, public
// members only, under assertionMethod and authentication.
export function documentsFor(paths) {
  const docs = {};
  for(const f of paths) {
    const vm = JSON.parse(readFileSync(f, 'utf8'));
    const {id, type, controller, publicKeyJwk} = vm;
    if(!id || !controller || !publicKeyJwk || !id.startsWith(controller + '#')) {
      throw new Error(`${f} is not a verification method of its controller`);
    }
    const jwk = Object.fromEntries(Object.entries(publicKeyJwk).filter(
      ([k]) => !privateJWK.includes(k)));
    const doc = docs[controller] ??= {
      '@context': [controller.startsWith('did:') ?
        'https://www.w3.org/ns/did/v1' : 'https://www.w3.org/ns/cid/v1'],
      id: controller,
      verificationMethod: [],
      assertionMethod: [],
      authentication: []
    };
    // Only the public members: never the file's secretKeyJwk.
    doc.verificationMethod.push({id, type, controller, publicKeyJwk: jwk});
    doc.assertionMethod.push(id);
    doc.authentication.push(id);
  }
  return docs;
}

if(process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, out] = process.argv.slice(2);
  if(!dir || !out) {
    console.error('usage: node documents.mjs INPUT_DIR OUT_FILE');
    process.exit(2);
  }
  const files = readdirSync(dir).filter(f => /^vm-.*\.json$/.test(f)).sort();
  if(files.length === 0) {
    console.error(`documents.mjs: no vm-*.json in ${dir}`);
    process.exit(2);
  }
  let docs;
  try {
    docs = documentsFor(files.map(f => join(dir, f)));
  } catch(e) {
    console.error(`documents.mjs: ${e.message}`);
    process.exit(2);
  }
  writeFileSync(out, JSON.stringify(docs, null, 2) + '\n');
  console.error(`documents.mjs: ${Object.keys(docs).join(', ')} ` +
    `(${files.length} keys) -> ${out}`);
}

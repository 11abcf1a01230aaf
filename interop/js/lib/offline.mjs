// offline.mjs: the offline documentLoader shared by every di.mjs command,
// and (re-exported from network.mjs) the network guard.
import * as didKey from '@digitalbazaar/did-method-key';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

// the network guard lives in network.mjs (jwt.mjs uses it without the
// JSON-LD libraries); re-exported here for di.mjs.
export {blocked, disableNetwork} from './network.mjs';

/**
 * Builds a JSON-LD documentLoader that never touches the network.
 *
 * It serves, in this order:
 *  1. contexts: URL -> context document, matched exactly;
 *  2. did:key DIDs and DID URLs, resolved locally by
 *     @digitalbazaar/did-method-key (Ed25519 `z6Mk`, P-256 `zDna` and P-384
 *     `z82L` keys, Multikey form);
 *  3. documents: URL -> JSON document (controller documents). A document is
 *     also served at its own `id`, and each of its verificationMethod entries
 *     at that entry's `id` (with the document's @context), so a map keyed by
 *     either the controller URL or the verification method URL works;
 * and throws for any other URL.
 *
 * @param {object} options - Options.
 * @param {object} options.contexts - URL -> context document.
 * @param {object} [options.documents] - URL -> JSON document.
 * @param {string[]} [options.log] - Receives every URL requested.
 *
 * @returns {Function} The documentLoader.
 */
export function offlineDocumentLoader({contexts, documents = {}, log = []}) {
  const didKeyDriver = didKey.driver();
  didKeyDriver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519Multikey.from
  });
  // P-256 and P-384 did:keys (zDn…, z82…), for the ECDSA cryptosuites
  for(const header of ['zDna', 'z82L']) {
    didKeyDriver.use({multibaseMultikeyHeader: header, fromMultibase: EcdsaMultikey.from});
  }

  const docs = new Map();
  const put = (url, doc) => {
    if(!docs.has(url)) {
      docs.set(url, doc);
    }
  };
  const methods = doc => {
    const vms = doc && typeof doc === 'object' ? doc.verificationMethod : null;
    return (Array.isArray(vms) ? vms : [])
      .filter(vm => vm && typeof vm === 'object' && typeof vm.id === 'string')
      .map(vm => doc['@context'] ? {'@context': doc['@context'], ...vm} : vm);
  };
  // a key that names one of its document's verification methods serves that
  // method, any other key the document itself
  for(const [url, doc] of Object.entries(documents)) {
    put(url, methods(doc).find(vm => vm.id === url) ?? doc);
  }
  for(const doc of Object.values(documents)) {
    if(doc && typeof doc.id === 'string') {
      put(doc.id, doc);
    }
    for(const vm of methods(doc)) {
      put(vm.id, vm);
    }
  }

  return async function documentLoader(url) {
    log.push(url);
    if(Object.hasOwn(contexts, url)) {
      return {
        contextUrl: null, documentUrl: url,
        document: structuredClone(contexts[url])
      };
    }
    if(url.startsWith('did:key:')) {
      const document = await didKeyDriver.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    if(docs.has(url)) {
      return {
        contextUrl: null, documentUrl: url,
        document: structuredClone(docs.get(url))
      };
    }
    const error = new Error(
      `offline documentLoader: no document for "${url}" (not in the ` +
      'contexts or documents given, and not a did:key)');
    error.name = 'NotFoundError';
    throw error;
  };
}

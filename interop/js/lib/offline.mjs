// offline.mjs: the network guard and the offline documentLoader shared by
// every di.mjs command.
import dns from 'node:dns';
import net from 'node:net';

import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

// Every URL something tried to reach over the network (fetch, a socket or a
// DNS look-up) and was refused. Reported by dcc-verify as "blocked".
export const blocked = [];

/**
 * Turns the network off for this process: global fetch serves only the given
 * documents (a JSON response for each, looked up by the URL and then by the
 * URL without its fragment; any other URL throws),
 * and sockets and DNS look-ups throw. Call it before importing a library that
 * might reach out.
 *
 * @param {object} [options] - Options.
 * @param {Map<string, object>} [options.fetchable] - URL -> JSON document
 *   that global fetch may return (used by verifier-core's schema check and
 *   issuer registry client).
 */
export function disableNetwork({fetchable = new Map()} = {}) {
  const refuse = what => {
    blocked.push(what);
    return new Error(`network access disabled (offline interop harness): ${what}`);
  };
  globalThis.fetch = async function offlineFetch(input) {
    const url = typeof input === 'string' ? input :
      (input instanceof URL ? input.href : input?.url);
    // like HTTP, the fragment is not part of the request
    const key = fetchable.has(url) ? url : String(url).split('#')[0];
    if(fetchable.has(key)) {
      return new Response(JSON.stringify(fetchable.get(key)), {
        status: 200,
        headers: {'content-type': 'application/json'}
      });
    }
    throw new TypeError(`fetch failed: ${refuse(url).message}`);
  };
  net.Socket.prototype.connect = function() {
    let [a] = arguments;
    if(Array.isArray(a)) {
      // node's internal normalized [options, callback] form
      [a] = a;
    }
    const where = typeof a === 'object' && a !== null ?
      `${a.host ?? a.path ?? '?'}:${a.port ?? ''}` : String(a);
    throw refuse(`socket ${where}`);
  };
  const lookup = host => {
    throw refuse(`dns ${host}`);
  };
  dns.lookup = lookup;
  dns.promises.lookup = async host => lookup(host);
}

/**
 * Builds a JSON-LD documentLoader that never touches the network.
 *
 * It serves, in this order:
 *  1. contexts: URL -> context document, matched exactly;
 *  2. did:key DIDs and DID URLs, resolved locally by
 *     @digitalbazaar/did-method-key (Ed25519 `z6Mk` keys, Multikey form);
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

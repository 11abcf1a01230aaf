// network.mjs: the network guard shared by di.mjs (through offline.mjs) and
// jwt.mjs. It imports nothing but node built-ins, so it can run before any
// library is loaded.
import dns from 'node:dns';
import net from 'node:net';

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

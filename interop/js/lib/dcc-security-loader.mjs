// dcc-security-loader.mjs: stands in for @digitalcredentials/security-document-loader
// when verifier-core imports it (see dcc-hooks.mjs). securityLoader(...).build()
// returns a documentLoader that forwards to the one di.mjs put in
// globalThis.__obInteropDocumentLoader (the harness's offline loader), whatever
// options verifier-core passes (it asks for fetchRemoteContexts: true; nothing
// is fetched).
export const requested = [];

export function securityLoader(options = {}) {
  requested.push(options);
  return {
    build() {
      return async function documentLoader(url, opts) {
        const loader = globalThis.__obInteropDocumentLoader;
        if(typeof loader !== 'function') {
          throw new Error('interop harness: no offline documentLoader installed');
        }
        return loader(url, opts);
      };
    }
  };
}

export const httpClientHandler = {
  async get({url}) {
    throw new Error(`NotFoundError loading "${url}": network disabled`);
  }
};

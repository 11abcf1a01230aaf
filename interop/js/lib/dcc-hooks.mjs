// dcc-hooks.mjs: Node module-resolution hooks, registered by di.mjs (with
// module.register) before it imports @digitalcredentials/verifier-core.
//
// verifier-core 1.0.0-beta.11 takes no documentLoader: its Verify.js builds one
// when it is first imported, with
//   securityLoader({fetchRemoteContexts: true}).build()
// from @digitalcredentials/security-document-loader, which serves contexts
// bundled in npm packages and fetches every other http(s) URL (and resolves
// did:web) over the network. Two imports made by verifier-core are redirected:
//
//  - @digitalcredentials/security-document-loader -> ./dcc-security-loader.mjs,
//    which hands verifier-core the harness's offline documentLoader (only when
//    the hooks are registered with data {offlineLoader: true});
//  - @digitalcredentials/vc -> ./dcc-vc-spy.mjs?real=<the module verifier-core
//    would have got>, which forwards verify/verifyCredential unchanged and
//    keeps their raw result, so di.mjs can report the error that verifier-core
//    reduces to "The signature is not valid.".
//
// Every other import is left alone.
const LOADER = '@digitalcredentials/security-document-loader';
const VC = '@digitalcredentials/vc';
const here = import.meta.url;
let offlineLoader = true;

export async function initialize(data) {
  offlineLoader = data?.offlineLoader !== false;
}

export async function resolve(specifier, context, nextResolve) {
  const fromCore = context.parentURL?.includes('/@digitalcredentials/verifier-core/');
  if(fromCore && specifier === LOADER && offlineLoader) {
    return {url: new URL('./dcc-security-loader.mjs', here).href, shortCircuit: true};
  }
  if(fromCore && specifier === VC) {
    const real = await nextResolve(specifier, context);
    const spy = new URL('./dcc-vc-spy.mjs', here);
    spy.searchParams.set('real', real.url);
    return {url: spy.href, shortCircuit: true};
  }
  return nextResolve(specifier, context);
}

// dcc-vc-spy.mjs: what verifier-core gets for @digitalcredentials/vc (see
// dcc-hooks.mjs). The real module is the one named by ?real=; verify and
// verifyCredential are passed through unchanged and their last raw result is
// kept (its verified, error and results) in
// globalThis.__obInteropDccRaw for di.mjs to report.
const real = await import(new URL(import.meta.url).searchParams.get('real'));

// verifier-core edits the result object it gets (deletes verified and error),
// so keep what di.mjs reports before it does.
function keep(result) {
  globalThis.__obInteropDccRaw = result && typeof result === 'object' ?
    {verified: result.verified, error: result.error, results: result.results} :
    result;
}

export async function verifyCredential(options) {
  const result = await real.verifyCredential(options);
  keep(result);
  return result;
}

export async function verify(options) {
  const result = await real.verify(options);
  keep(result);
  return result;
}

// localconfig.mjs writes the localConfig.cjs a W3C test suite reads, declaring
// only the vcapi server, its issuers named by the DIDs GET /issuers lists.
//
//	node localconfig.mjs BASE_URL SUITE OUT_FILE
//
// SUITE is one of the names conformance.sh runs (see configs below). Run it
// with NODE_TLS_REJECT_UNAUTHORIZED=0 when the server's certificate is
// self-signed. VC_VERSIONS (default "1.1,2.0") is what the Data Integrity
// endpoints declare in supports.vc; JOSE_COSE_FEATURES (default
// "credential_jose,presentation_jose") the vc-jose-cose features claimed.
import {writeFileSync} from 'node:fs';

const [base, suite, out] = process.argv.slice(2);
if(!base || !suite || !out) {
  console.error('usage: node localconfig.mjs BASE_URL SUITE OUT_FILE');
  process.exit(2);
}

const res = await fetch(`${base}/issuers`);
if(!res.ok) {
  throw new Error(`GET ${base}/issuers: ${res.status}`);
}
const issuers = await res.json();
const did = keyType => {
  const i = issuers.find(i => i.keyType === keyType);
  if(!i) {
    throw new Error(`GET /issuers lists no ${keyType} issuer`);
  }
  return i.id;
};
const ed = did('Ed25519');
const p256 = did('P-256');
const issue = `${base}/credentials/issue`;
const verify = `${base}/credentials/verify`;
const vpVerify = `${base}/presentations/verify`;
const vc = (process.env.VC_VERSIONS || '1.1,2.0').split(',').map(s => s.trim())
  .filter(Boolean);
const supports = {vc};

// One implementation per suite, with exactly the endpoints and tags that
// suite filters on (tags read by no suite are left out).
const configs = {
  // tests/*.js filter on 'vc2.0'; tests/4.13.2-envelopes.js on
  // 'EnvelopingProof' (issuers, verifiers and vpVerifiers).
  'vc-data-model-2.0-test-suite': {
    issuers: [
      {id: ed, endpoint: issue, options: {cryptosuite: 'eddsa-rdfc-2022'},
        tags: ['vc2.0']},
      {id: ed, endpoint: issue, options: {format: 'vc+jwt'},
        tags: ['EnvelopingProof']}
    ],
    verifiers: [
      {id: ed, endpoint: verify, tags: ['vc2.0', 'EnvelopingProof']}
    ],
    vpVerifiers: [
      {id: ed, endpoint: vpVerify, tags: ['vc2.0', 'EnvelopingProof']}
    ]
  },
  // config/runner.json: tags 'eddsa-rdfc-2022' and 'eddsa-jcs-2022'; the
  // first issuer with the tag is used.
  'vc-di-eddsa-test-suite': {
    issuers: [
      {id: ed, endpoint: issue, options: {cryptosuite: 'eddsa-rdfc-2022'},
        supports, tags: ['eddsa-rdfc-2022']},
      {id: ed, endpoint: issue, options: {cryptosuite: 'eddsa-jcs-2022'},
        supports, tags: ['eddsa-jcs-2022']}
    ],
    verifiers: [
      {id: ed, endpoint: verify, supports,
        tags: ['eddsa-rdfc-2022', 'eddsa-jcs-2022']}
    ]
  },
  // tests/helpers.js endpointCheck and filterVerifiers: supports.vc
  // defaults to ['1.1'], and every endpoint needs supportedEcdsaKeyTypes
  // (the suite crashes at load without it). No ecdsa-sd-2023 (not
  // implemented), so no vcHolders.
  'vc-di-ecdsa-test-suite': {
    issuers: [
      {id: p256, endpoint: issue, options: {cryptosuite: 'ecdsa-rdfc-2019'},
        supportedEcdsaKeyTypes: ['P-256'], supports,
        tags: ['ecdsa-rdfc-2019']},
      {id: p256, endpoint: issue, options: {cryptosuite: 'ecdsa-jcs-2019'},
        supportedEcdsaKeyTypes: ['P-256'], supports,
        tags: ['ecdsa-jcs-2019']}
    ],
    verifiers: [
      {id: p256, endpoint: verify, supportedEcdsaKeyTypes: ['P-256'],
        supports, tags: ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019']}
    ]
  },
  // tests/*.js filter on 'BitstringStatusList' only (the README's
  // 'Revocation' and 'Suspension' are read by no test). The suite sends
  // credentials without credentialStatus: the issuer must add the entries.
  'vc-bitstring-status-list-test-suite': {
    issuers: [
      {id: ed, endpoint: issue,
        options: {cryptosuite: 'eddsa-rdfc-2022',
          // A message entry too (statusSize 2, its four messages, a
          // statusReference), last, so that the data model tests of
          // those optional members run rather than skip.
          credentialStatus: ['revocation', 'suspension', {
            type: 'BitstringStatusListEntry', statusPurpose: 'message',
            statusSize: 2,
            statusMessage: [
              {status: '0x0', message: 'pending_review'},
              {status: '0x1', message: 'accepted'},
              {status: '0x2', message: 'rejected'},
              {status: '0x3', message: 'undefined'}],
            statusReference: 'https://www.w3.org/TR/vc-bitstring-status-list/'}]},
        tags: ['BitstringStatusList']}
    ],
    verifiers: [
      {id: ed, endpoint: verify, tags: ['BitstringStatusList']}
    ]
  },
  // implementations/index.js: implementations with a 'jose-cose' member;
  // tests/test-util.js runs `docker compose run NAME fn --input --key
  // --feature --output`, which conformance/jose-cose/docker answers
  // through this server. The endpoints are for that adapter.
  'vc-jose-cose-test-suite': {
    'jose-cose': {
      features: Object.fromEntries([
        'credential_jose', 'presentation_jose', 'credential_cose',
        'presentation_cose', 'credential_sdjwt', 'presentation_sdjwt'
      ].map(f => [f, (process.env.JOSE_COSE_FEATURES ??
        'credential_jose,presentation_jose').split(',').includes(f)])),
      base,
      issuers: {Ed25519: ed, 'P-256': p256}
    }
  }
};

const impl = configs[suite];
if(!impl) {
  throw new Error(`unknown suite ${suite}: want one of ` +
    Object.keys(configs).join(', '));
}
const config = {
  settings: {enableInteropTests: true, testAllImplementations: false},
  implementations: [{
    name: 'go-openbadges', implementation: 'examples/vcapi', ...impl
  }]
};
writeFileSync(out, `// Written by examples/vcapi/conformance/localconfig.mjs from
// GET ${base}/issuers.
module.exports = ${JSON.stringify(config, null, 2)};
`);

// The verification page: it loads the verifier (verifier.wasm, package
// verify compiled to WebAssembly), hands it the badge the visitor gives,
// and shows the answer. Everything from the badge is shown as text
// (textContent), never as markup; the certificate view goes into a
// sandboxed frame where no script runs.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  const state = {
    api: null,          // window.openbadgesVerifier, once ready
    network: false,     // the visitor's switch
    trust: [],          // [{name, bytes}]: trust files
    badge: null,        // {bytes, name}: the last badge given, to verify again
    link: null,         // a badge's https URL from the page's address
    queued: null,       // a badge given before the verifier was ready
    view: null,         // the last view
    imageURL: null,     // object URL of the badge image shown
    seq: 0,             // the latest verification, so an older one never overwrites it
    shown: 0,           // how many answers were shown (the verdict's data-seq)
  };

  const glyphs = {
    'verified': 'M6 12.5l4 4 8-9',
    'verified-status-unknown': 'M6 12.5l4 4 8-9',
    'not-verified': 'M7 7l10 10M17 7 7 17',
    'inconclusive': 'M9.2 9a3 3 0 1 1 4.2 2.8c-.9.4-1.4 1.2-1.4 2.2v.5M12 18h.01',
    'error': 'M12 7v6M12 17h.01',
  };
  const outcomeWords = {
    passed: 'Passed', failed: 'Failed', indeterminate: 'Could not decide',
    warning: 'Warning', skipped: 'Skipped',
  };

  // el makes an element; strings among the children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function announce(text) {
    const a = $('announce');
    a.textContent = '';
    // A new node each time, so a screen reader reads a repeated message too.
    setTimeout(() => { a.textContent = text; }, 50);
  }

  function setDrop(s) { $('drop').dataset.state = s; }

  // ---- Loading the verifier ----------------------------------------------

  async function instantiate(go) {
    try {
      return await WebAssembly.instantiateStreaming(fetch('verifier.wasm'), go.importObject);
    } catch (streamErr) {
      // A host that serves .wasm with another type, or a page opened from
      // a file: read the bytes as they come.
      let bytes;
      try {
        const r = await fetch('verifier.wasm');
        bytes = await r.arrayBuffer();
      } catch (fetchErr) {
        bytes = await readLocal('verifier.wasm');
      }
      return WebAssembly.instantiate(bytes, go.importObject);
    }
  }

  // readLocal reads a file beside the page with XMLHttpRequest, which some
  // browsers allow for pages opened from a file where fetch is not.
  function readLocal(url) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('GET', url);
      x.responseType = 'arraybuffer';
      x.onload = () => (x.response && x.response.byteLength ? resolve(x.response) : reject(new Error('empty')));
      x.onerror = () => reject(new Error('the browser does not let this page read ' + url));
      x.send();
    });
  }

  async function load() {
    $('no-script').hidden = true;
    setDrop('loading');
    if (typeof Go !== 'function') {
      failLoad('wasm_exec.js is missing beside this page.');
      return;
    }
    const go = new Go();
    let result;
    try {
      result = await instantiate(go);
    } catch (e) {
      failLoad(e && e.message);
      return;
    }
    performance.mark('openbadges-verifier-compiled');
    window.openbadgesVerifierReady = ready;
    go.run(result.instance).catch(() => {});
  }

  function failLoad(why) {
    setDrop('failed');
    const fromFile = location.protocol === 'file:';
    showView({
      verdict: 'error', exit: 2,
      title: 'The verifier could not start',
      summary: fromFile
        ? 'This page was opened from a file, and this browser does not let such a page read the verifier beside it (verifier.wasm). Serve the folder instead (go run ./examples/verifier-web, or any static web server) and open that address.'
        : 'The verifier (verifier.wasm) could not be loaded' + (why ? ': ' + why : '.'),
    }, null);
  }

  function ready() {
    state.api = window.openbadgesVerifier;
    performance.mark('openbadges-verifier-ready');
    document.documentElement.dataset.ready = 'true';
    setDrop('idle');
    $('version').textContent = 'Verifier version ' + state.api.version + '.';
    announce('The verifier is ready.');
    prepare();
    if (state.queued) {
      const q = state.queued;
      state.queued = null;
      verify(q.bytes, q.name);
    } else {
      fromAddress();
    }
  }

  // ---- The visitor's choices ---------------------------------------------

  function options() {
    return {
      trustedIssuers: $('trusted-issuers').value.split('\n').map((s) => s.trim()).filter(Boolean),
      now: $('now').value.trim(),
      strict: $('strict').checked,
      allowUnknownStatus: $('allow-unknown-status').checked,
      network: state.network,
      lang: document.documentElement.lang || 'en',
    };
  }

  function setNetwork(on) {
    state.network = on;
    const b = $('network');
    b.setAttribute('aria-checked', String(on));
    b.querySelector('.switch-state').textContent = on ? 'On' : 'Off';
    $('network-on-text').hidden = !on;
    $('network-off-text').hidden = on;
    announce(on ? 'Network access is on.' : 'Network access is off: nothing is sent anywhere.');
  }

  // optionsChanged verifies the badge again under the new choices; the
  // focus stays where the visitor is.
  function optionsChanged() {
    if (state.badge) verify(state.badge.bytes, state.badge.name, { keepFocus: true });
  }

  // ---- Badges in -------------------------------------------------------------

  async function fromFile(file) {
    if (!file) return;
    const max = state.api ? state.api.maxInput : 16 << 20;
    if (file.size > max) {
      state.badge = null;
      showView({
        verdict: 'error', exit: 2, title: 'Could not check this file',
        summary: `The file is too large to be a badge: ${file.size} bytes, over the limit of ${max}.`,
      }, file.name);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    verify(bytes, file.name);
  }

  function fromText(text, name) {
    verify(new TextEncoder().encode(text), name);
  }

  // fromAddress verifies a badge the page's address gives:
  // ?credential=… or ?id=… (or the same after #, which is never sent to the
  // server that hosts this page). A badge's text is verified at once; an
  // https link is fetched only when the visitor allows network access.
  function fromAddress() {
    const q = new URLSearchParams(location.search);
    const h = new URLSearchParams(location.hash.replace(/^#/, ''));
    const value = q.get('credential') || q.get('id') || h.get('credential') || h.get('id');
    if (!value) return;
    if (/^https:\/\//i.test(value)) {
      state.link = value;
      $('link-text').textContent = 'This link asks to check the badge at ' + value + '. Fetching it needs network access, which is off: nothing has been fetched.';
      $('link-panel').hidden = false;
      return;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      showView({ verdict: 'error', exit: 2, title: 'Could not check this link', summary: 'Only https links are fetched: ' + value }, null);
      return;
    }
    fromText(value, 'the page’s address');
  }

  async function fetchLink() {
    if (!state.link) return;
    if (!state.network) setNetwork(true);
    if (!state.api) return;
    $('link-text').textContent = 'Fetching ' + state.link + ' …';
    try {
      const bytes = await state.api.fetchBadge(state.link);
      $('link-panel').hidden = true;
      verify(bytes, state.link);
    } catch (e) {
      $('link-text').textContent = 'The badge at ' + state.link + ' could not be fetched: ' + e.message;
    }
  }

  // ---- Verifying ---------------------------------------------------------

  async function verify(bytes, name, how) {
    state.badge = { bytes, name };
    if (!state.api) {
      state.queued = { bytes, name };
      announce('The verifier is still loading; your badge will be checked as soon as it is ready.');
      return;
    }
    const seq = ++state.seq;
    setDrop('busy');
    $('loading-text').textContent = 'Verifying…';
    announce('Verifying…');
    const t0 = performance.now();
    let view;
    try {
      view = JSON.parse(await state.api.verify(bytes, JSON.stringify(options()), state.trust));
    } catch (e) {
      view = { verdict: 'error', exit: 2, title: 'Could not check this file', summary: String(e && e.message || e) };
    }
    const ms = performance.now() - t0;
    if (seq !== state.seq) return;
    setDrop('idle');
    $('loading-text').textContent = 'Preparing the verifier…';
    showView(view, name, bytes, ms, how && how.keepFocus);
  }

  // ---- Showing the answer ------------------------------------------------

  function showView(view, name, bytes, ms, keepFocus) {
    state.view = view;
    const result = $('result');
    result.hidden = false;
    const v = $('verdict');
    v.dataset.verdict = view.verdict;
    v.dataset.exit = String(view.exit);
    v.dataset.seq = String(++state.shown);
    if (ms !== undefined) v.dataset.ms = ms.toFixed(1);
    $('verdict-glyph').setAttribute('d', glyphs[view.verdict] || glyphs.error);
    $('verdict-title').textContent = view.title;
    $('verdict-summary').textContent = view.summary;
    const ach = view.achievement && view.achievement.name;
    const iss = view.issuer && (view.issuer.name || view.issuer.id);
    const claims = view.verdict === 'verified' || view.verdict === 'verified-status-unknown' ? 'issued by ' : 'claims to be issued by ';
    $('verdict-about').textContent = [ach, iss && claims + iss].filter(Boolean).join(' · ');
    const decisive = $('decisive');
    decisive.replaceChildren(...(view.decisive || []).map((c) =>
      el('li', { 'data-check-id': c.id },
        el('strong', {}, c.label), ' ', el('code', {}, c.id), ': ', firstSentence(c.message))));
    const src = [];
    if (name) src.push(name);
    if (view.line) src.push('openbadges verify: ' + view.line);
    $('verdict-source').textContent = src.join(' · ');

    const hasDetails = view.verdict !== 'error';
    $('details').hidden = !hasDetails;
    if (hasDetails) showDetails(view, bytes);
    else clearDetails();
    announce(view.title + '. ' + view.summary);
    if (!keepFocus) $('verdict-title').focus({ preventScroll: false });
  }

  // firstSentence cuts a check's message to its first sentence, for the
  // verdict; the list of checks below has it whole.
  function firstSentence(m) {
    const i = m.indexOf('. ');
    return i > 0 ? m.slice(0, i + 1) : m;
  }

  function dl(list, rows) {
    list.replaceChildren(...rows.filter((r) => r && r[1]).flatMap(([k, v]) =>
      [el('dt', {}, k), el('dd', {}, v)]));
  }

  function showDetails(view, bytes) {
    const a = view.achievement || {};
    dl($('achievement-list'), [
      ['Name', a.name || '(none given)'],
      ['Description', a.description],
      ['Criteria', a.criteria],
      ['Type', a.type],
      ['Identifier', a.id && el('code', {}, a.id)],
      ['Form', [view.class, view.version, view.input && ('as ' + view.input.toUpperCase())].filter(Boolean).join(', ')],
    ]);
    showImage(bytes, view.input);

    const i = view.issuer || {};
    dl($('issuer-list'), [
      ['Name', i.name || '(none given)'],
      ['Identifier', i.id && el('code', {}, i.id)],
      ['Web site', i.url],
      ['Signing key', i.keyConfirmed],
      ['Key used', i.keyMethod && el('code', {}, i.keyMethod)],
      ['Document read from', i.documentFrom],
    ]);

    const s = view.subject || {};
    const ids = (s.identifiers || []).map((x) => x.hashed ? `${typeWords(x.type)} (hashed)` : `${typeWords(x.type)}: ${x.value}`);
    dl($('recipient-list'), [
      ['Name', s.name],
      ['Identifier', s.id && el('code', {}, s.id)],
      ['Identified by', ids.join(', ')],
    ]);
    $('match-result').textContent = '';
    delete $('match-result').dataset.answer;
    $('match-form').hidden = !view.credential || view.class === 'VerifiablePresentation';

    const rows = (view.dates || []).map((d) => [d.label, d.time ? el('time', { datetime: d.time }, d.value) : d.value]);
    if (view.status) rows.push(['Status', `${outcomeWords[view.status.outcome] || view.status.outcome}: ${view.status.message}`]);
    else rows.push(['Status', 'The badge has no revocation status to check.']);
    dl($('dates-list'), rows);

    $('checks').replaceChildren(...(view.checks || []).map((c) =>
      el('li', { 'data-check-id': c.id, 'data-outcome': c.outcome },
        el('span', { class: 'outcome', 'data-outcome': c.outcome }, outcomeSymbol(c.outcome), outcomeWords[c.outcome] || c.outcome),
        el('span', { class: 'check-name' }, c.label, el('code', {}, c.id)),
        el('p', { class: 'check-message' }, c.message))));
    for (const sub of view.credentials || []) {
      $('checks').append(el('li', { 'data-check-id': 'credential', 'data-outcome': sub.verdict === 'verified' ? 'passed' : 'failed' },
        el('span', { class: 'outcome', 'data-outcome': sub.verdict === 'verified' ? 'passed' : 'failed' }, sub.title),
        el('span', { class: 'check-name' }, 'Credential presented'),
        el('p', { class: 'check-message' }, sub.line || sub.summary)));
    }

    showCertificate(view);

    const fetched = view.fetched || [];
    $('fetched').replaceChildren(...(fetched.length ? fetched.map((f) => el('li', {},
      f.error ? `Could not read ${f.url} from ${where(f.from)}: ${f.error}` : `${f.url}, from ${where(f.from)} (${f.bytes} bytes)`))
      : [el('li', {}, view.network ? 'None.' : 'None: network access was off, and no trust file was needed.')]));

    $('credential-json').textContent = view.credential || '';
  }

  // clearDetails empties what a previous badge left, for an answer that
  // has none.
  function clearDetails() {
    for (const id of ['achievement-list', 'issuer-list', 'recipient-list', 'dates-list', 'checks', 'fetched']) $(id).replaceChildren();
    $('credential-json').textContent = '';
    showImage(null);
    showCertificate({});
  }

  function where(from) {
    return from === 'network' ? 'the network' : from === 'offline map' ? 'your trust files' : from;
  }

  function typeWords(t) {
    return { emailAddress: 'email address', email: 'email address', url: 'web address', phone: 'phone number', telephone: 'phone number', did: 'DID', sourcedId: 'sourced id', studentId: 'student id', nationalIdentityNumber: 'national identity number' }[t] || t;
  }

  function outcomeSymbol(o) {
    const d = { passed: 'M5 12.5l4 4 10-10', failed: 'M7 7l10 10M17 7 7 17', indeterminate: 'M12 7v6M12 17h.01', warning: 'M12 7v6M12 17h.01', skipped: 'M6 12h12' }[o] || 'M6 12h12';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('width', '14');
    svg.setAttribute('height', '14');
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '3');
    p.setAttribute('stroke-linecap', 'round');
    svg.append(p);
    return svg;
  }

  // showImage shows the badge image the visitor gave (a PNG or SVG) from
  // its own bytes: nothing is fetched. An SVG shown as an image runs no
  // script.
  function showImage(bytes, input) {
    const img = $('badge-image');
    if (state.imageURL) URL.revokeObjectURL(state.imageURL);
    state.imageURL = null;
    const type = input === 'png' ? 'image/png' : input === 'svg' ? 'image/svg+xml' : null;
    if (!bytes || !type) {
      img.hidden = true;
      img.removeAttribute('src');
      return;
    }
    state.imageURL = URL.createObjectURL(new Blob([bytes], { type }));
    img.src = state.imageURL;
    img.alt = 'The badge image';
    img.hidden = false;
  }

  function showCertificate(view) {
    const frame = $('certificate');
    const none = $('certificate-none');
    const caption = $('certificate-caption');
    if (view.certificate) {
      frame.srcdoc = view.certificate;
      frame.hidden = false;
      none.hidden = true;
      caption.textContent = view.verdict === 'verified'
        ? 'The certificate of this verified badge, drawn here from the badge itself.'
        : 'The certificate of this badge, verified though its status is unknown.';
      return;
    }
    frame.hidden = true;
    frame.removeAttribute('srcdoc');
    caption.textContent = '';
    none.hidden = false;
    const verified = view.verdict === 'verified' || view.verdict === 'verified-status-unknown';
    none.textContent = view.certificateError
      ? 'The certificate could not be drawn: ' + view.certificateError
      : verified ? 'This build of the page has no certificate view.'
        : 'The certificate is shown only for a verified badge.';
  }

  // ---- Trust files -------------------------------------------------------

  async function addTrustFiles(files) {
    const max = state.api ? state.api.maxTrustFile : 16 << 20;
    for (const f of files) {
      if (f.size > max) {
        announce(`${f.name} is too large (${f.size} bytes).`);
        continue;
      }
      const bytes = new Uint8Array(await f.arrayBuffer());
      state.trust = state.trust.filter((t) => t.name !== f.name).concat([{ name: f.name, bytes }]);
    }
    showTrust();
    prepare();
    optionsChanged();
  }

  // prepare makes the verifier for the current trust ahead of the next
  // badge (contexts, schemas and documents are read once).
  function prepare() {
    if (!state.api) return;
    state.api.prepare(JSON.stringify(options()), state.trust).then(() => {
      if (!performance.getEntriesByName('openbadges-verifier-prepared').length) {
        performance.mark('openbadges-verifier-prepared');
        document.documentElement.dataset.prepared = 'true';
      }
    }, () => {});
  }

  function showTrust() {
    const described = state.api ? JSON.parse(state.api.trustFiles(state.trust)) : state.trust.map((t) => ({ name: t.name }));
    $('trust-list').replaceChildren(...described.map((d) => el('li', {},
      el('span', { class: 'file-name' }, d.name),
      d.error ? el('span', { class: 'error' }, 'Not used: ' + d.error)
        : el('span', { class: 'serves' }, d.serves ? 'Serves ' + d.serves.join(', ') : ''),
      removeButton(d.name))));
  }

  function removeButton(name) {
    const b = el('button', { type: 'button', class: 'button small', 'aria-label': 'Remove ' + name }, 'Remove');
    b.addEventListener('click', () => {
      state.trust = state.trust.filter((t) => t.name !== name);
      showTrust();
      prepare();
      announce(name + ' removed.');
      $('trust-choose').focus();
      optionsChanged();
    });
    return b;
  }

  // ---- Wiring --------------------------------------------------------------

  function wire() {
    const drop = $('drop');
    $('choose').addEventListener('click', () => $('file').click());
    $('file').addEventListener('change', (e) => {
      const f = e.target.files[0];
      e.target.value = '';
      fromFile(f);
    });
    for (const t of ['dragenter', 'dragover']) {
      drop.addEventListener(t, (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; if (drop.dataset.state === 'idle') setDrop('over'); });
    }
    drop.addEventListener('dragleave', () => { if (drop.dataset.state === 'over') setDrop('idle'); });
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      if (drop.dataset.state === 'over') setDrop('idle');
      const files = e.dataTransfer.files;
      if (files.length > 1) announce(`${files.length} files dropped: checking the first, ${files[0].name}. Add issuers’ documents under “Trust and policy”.`);
      if (files.length) fromFile(files[0]);
    });
    // A file dropped anywhere else must not make the browser open it.
    for (const t of ['dragover', 'drop']) window.addEventListener(t, (e) => e.preventDefault());

    $('verify-paste').addEventListener('click', () => {
      const text = $('paste-text').value.trim();
      if (!text) {
        announce('Paste a badge’s text first.');
        $('paste-text').focus();
        return;
      }
      fromText(text, 'the pasted text');
    });

    $('network').addEventListener('click', () => {
      setNetwork(!state.network);
      optionsChanged();
    });
    $('link-fetch').addEventListener('click', fetchLink);

    $('trust-choose').addEventListener('click', () => $('trust-files').click());
    $('trust-files').addEventListener('change', (e) => {
      const files = [...e.target.files];
      e.target.value = '';
      addTrustFiles(files);
    });
    const trustBox = $('trust');
    trustBox.addEventListener('dragover', (e) => { e.preventDefault(); e.stopPropagation(); });
    trustBox.addEventListener('drop', (e) => { e.preventDefault(); e.stopPropagation(); addTrustFiles([...e.dataTransfer.files]); });
    for (const id of ['strict', 'allow-unknown-status']) $(id).addEventListener('change', optionsChanged);
    for (const id of ['trusted-issuers', 'now']) $(id).addEventListener('change', optionsChanged);

    $('match-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const out = $('match-result');
      if (!state.api || !state.view || !state.view.credential) return;
      const r = JSON.parse(state.api.match(state.view.credential, 'emailAddress', $('match-email').value));
      out.dataset.answer = r.answer;
      out.textContent = r.message;
    });
  }

  wire();
  load();
})();

// summarize.mjs joins what reporter.cjs wrote for one suite with the
// exchanges trace-proxy.mjs logged, writes RESULTS_DIR/SUITE.json (every
// test, and for each test that did not pass the HTTP exchanges made while it
// and its hooks ran) and RESULTS_DIR/SUITE.txt (the same, for reading), and
// prints the suite's line:
//
//	SUITE: N passing, M failing, P pending, K not run (H hook failures)
//
//	node summarize.mjs SUITE REPORT_JSON TRACE_JSONL RESULTS_DIR
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const [suite, reportFile, traceFile, dir] = process.argv.slice(2);
if(!existsSync(reportFile)) {
  console.log(`${suite}: no results (the suite did not run to its end; ` +
    `see ${join(dir, suite + '.log')})`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const trace = existsSync(traceFile) ? readFileSync(traceFile, 'utf8')
  .split('\n').filter(Boolean).map(l => JSON.parse(l)) : [];

// Tests run one after another: the exchanges between the end of the
// previous test (or failed hook) and the end of this one are its own or its
// hooks'.
const ran = [...report.tests.filter(t => t.end), ...report.hooks]
  .sort((a, b) => a.end - b.end);
let prev = 0;
for(const t of ran) {
  t.exchanges = trace.filter(x => x.t0 > prev && x.t0 <= t.end);
  prev = t.end;
}
for(const t of report.tests) {
  if(t.state === 'passed' || t.state === 'pending') {
    delete t.exchanges;
  }
}
report.suite = suite;
writeFileSync(join(dir, `${suite}.json`), JSON.stringify(report, null, 2));

const short = v => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s && s.length > 600 ? s.slice(0, 600) + '…' : s;
};
const lines = [];
const show = (label, t) => {
  lines.push(`${label} ${t.titlePath.join(' › ')}`);
  if(t.file) {
    lines.push(`    file: ${t.file}`);
  }
  if(t.error) {
    lines.push(`    error: ${short(t.error.message)}`);
  }
  if(t.skip) {
    lines.push(`    skipped: ${t.skip}`);
  }
  for(const x of t.exchanges ?? []) {
    lines.push(`    ${x.method} ${x.path} → ${x.status}`);
    if(x.request) {
      lines.push(`      sent: ${short(x.request.json ?? x.request.text)}`);
    }
    if(x.response && x.status >= 300) {
      lines.push(`      got:  ${short(x.response.json ?? x.response.text)}`);
    }
  }
};
for(const h of report.hooks) {
  show('HOOK', h);
}
for(const t of report.tests) {
  if(t.state === 'failed') {
    show('FAIL', t);
  }
}
for(const t of report.tests) {
  if(t.state === 'pending') {
    show('SKIP', t);
  }
}
for(const t of report.tests) {
  if(t.state === 'notrun') {
    show('NOTRUN', t);
  }
}
writeFileSync(join(dir, `${suite}.txt`), lines.join('\n') + '\n');

const s = report.stats;
console.log(`${suite}: ${s.passing} passing, ${s.failing} failing, ` +
  `${s.pending} pending, ${s.notRun} not run (${s.hookFailures} hook ` +
  `failures)`);

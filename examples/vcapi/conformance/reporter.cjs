// reporter.cjs is a mocha reporter for conformance.sh: it prints one line a
// test and writes a JSON file (--reporter-option output=FILE) with every test
// of the suite, each with its state (passed, failed, pending, or notrun when a
// hook failure kept it from running), its error, and when it ran, so that the
// server's requests can be matched to it. Hook failures are listed apart.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

// Mocha.Runner.constants, spelled out: this file is loaded by the suite's
// mocha from outside its node_modules, where require('mocha') would fail.
const EVENT_HOOK_BEGIN = 'hook';
const EVENT_HOOK_END = 'hook end';
const EVENT_RUN_END = 'end';
const EVENT_TEST_BEGIN = 'test';
const EVENT_TEST_END = 'test end';
const EVENT_TEST_FAIL = 'fail';
const EVENT_TEST_PASS = 'pass';
const EVENT_TEST_PENDING = 'pending';

function errorOf(err) {
  if(!err) {
    return undefined;
  }
  const e = {message: String(err.message ?? err)};
  if(err.code !== undefined) {
    e.code = err.code;
  }
  if(err.expected !== undefined || err.actual !== undefined) {
    e.expected = safe(err.expected);
    e.actual = safe(err.actual);
  }
  if(err.stack) {
    // the first frames inside the suite say where it failed
    e.at = String(err.stack).split('\n')
      .filter(l => /^\s+at /.test(l) && !l.includes('node_modules') &&
        !l.includes('node:'))
      .slice(0, 3).map(l => l.trim());
  }
  return e;
}

function safe(v) {
  try {
    const s = JSON.stringify(v);
    return s && s.length > 2000 ? s.slice(0, 2000) + '…' : v;
  } catch {
    return String(v);
  }
}

function titlePath(runnable) {
  return runnable.titlePath ? runnable.titlePath() : [runnable.fullTitle()];
}

class ConformanceReporter {
  constructor(runner, options) {
    const output = options?.reporterOption?.output;
    const cwd = process.cwd();
    const tests = new Map(); // test → record
    const hooks = [];
    const started = new Map();
    const rel = f => (f ? path.relative(cwd, f) : undefined);

    runner.on(EVENT_TEST_BEGIN, t => started.set(t, Date.now()));
    runner.on(EVENT_HOOK_BEGIN, h => started.set(h, Date.now()));
    runner.on(EVENT_HOOK_END, h => started.delete(h));
    const record = (t, state, err) => {
      tests.set(t, {
        title: t.title, titlePath: titlePath(t), file: rel(t.file), state,
        error: errorOf(err), start: started.get(t), end: Date.now()
      });
    };
    runner.on(EVENT_TEST_PASS, t => {
      record(t, 'passed');
      process.stdout.write(`  ok    ${t.fullTitle()}\n`);
    });
    runner.on(EVENT_TEST_PENDING, t => {
      record(t, 'pending');
      // why: the suite's own message, or a test skipped in the suite's code
      const r = tests.get(t);
      r.skip = t.cell?.skipMessage ?? (started.has(t) ? 'this.skip()' :
        'it.skip or a test without a body, in the suite');
      process.stdout.write(`  skip  ${t.fullTitle()}\n`);
    });
    runner.on(EVENT_TEST_FAIL, (t, err) => {
      if(t.type === 'hook') {
        hooks.push({
          title: t.title, titlePath: titlePath(t), file: rel(t.file),
          error: errorOf(err), start: started.get(t), end: Date.now()
        });
        process.stdout.write(`  HOOK  ${t.fullTitle()}: ${err?.message}\n`);
        return;
      }
      record(t, 'failed', err);
      process.stdout.write(`  FAIL  ${t.fullTitle()}: ${err?.message}\n`);
    });
    runner.on(EVENT_TEST_END, t => {
      if(!tests.has(t)) {
        record(t, t.state === 'passed' ? 'passed' : t.pending ? 'pending' :
          'failed');
      }
    });
    runner.once(EVENT_RUN_END, () => {
      // every test defined but never ended was kept from running by a
      // failed hook (or a bail)
      const all = [];
      const walk = suite => {
        for(const t of suite.tests) {
          all.push(tests.get(t) ?? {
            title: t.title, titlePath: titlePath(t), file: rel(t.file),
            state: 'notrun'
          });
        }
        suite.suites.forEach(walk);
      };
      walk(runner.suite);
      // tests that ran but are not in the tree (added while running)
      const inTree = new Set(all);
      for(const r of tests.values()) {
        if(!inTree.has(r)) {
          all.push(r);
        }
      }
      const count = s => all.filter(t => t.state === s).length;
      const stats = {
        passing: count('passed'), failing: count('failed'),
        pending: count('pending'), notRun: count('notrun'),
        hookFailures: hooks.length, total: all.length
      };
      const result = {stats, hooks, tests: all};
      process.stdout.write(`\n  ${stats.passing} passing, ${stats.failing} ` +
        `failing, ${stats.pending} pending, ${stats.notRun} not run ` +
        `(${stats.hookFailures} hook failures)\n`);
      if(output) {
        fs.mkdirSync(path.dirname(output), {recursive: true});
        fs.writeFileSync(output, JSON.stringify(result, null, 2));
      }
    });
  }
}

module.exports = ConformanceReporter;

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeFromConfig } from '@discotrace/core';
import { getScenario, probeTarget, scenarioNames, startLab } from '@discotrace/lab';
import { probeAndPrint } from '../packages/cli/src/main.ts';
import { labOptions } from '../packages/cli/src/lab-options.ts';
import { tempDir } from './utils/lab-run.ts';

// Issue 3 "done when": against any lab scenario the CLI prints a one-line verdict naming the cause
// and the fix, and the per-client table.
describe('every lab scenario: one-line verdict with cause and fix, and the per-client table', () => {
  for (const name of scenarioNames()) {
    it(name, async () => {
      const scenario = getScenario(name);
      const target = probeTarget(scenario);
      if (!target) return; // a scenario without a user has nobody to probe
      const { address, credentials } = target;
      const lab = await startLab(scenario);
      const { dir, cleanup } = await tempDir();
      const lines: string[] = [];
      try {
        const { store, location } = storeFromConfig({ DISCOTRACE_STORE_DIR: dir });
        const result = await probeAndPrint({ address, credentials, options: labOptions(lab, { timeouts: { dnsMs: 1500, connectMs: 1500, tlsMs: 1500, httpMs: 3000 }, ...(target.options ?? {}) } as never), store, json: false, style: { color: false }, io: { out: (l) => lines.push(l) }, location });
        const verdict = lines.find((l) => /^[✓✗] /.test(l));
        assert.ok(verdict, lines.join('\n'));
        if (result.report.verdict.status === 'found') {
          assert.match(verdict!, /^✓ Autodiscover works for /);
          // A run that worked lists its others under "Warnings": nothing there stopped it, so no ✗ mark.
          const start = lines.indexOf('Warnings');
          const end = start < 0 ? -1 : lines.indexOf('', start);
          const warnings = start < 0 ? [] : lines.slice(start + 1, end < 0 ? undefined : end);
          for (const l of warnings) assert.match(l, /^ {2}(! |… and \d+ more)/, warnings.join('\n'));
          assert.ok(!lines.includes('Also found'), 'a successful run has no "Also found" section');
        }
        else {
          assert.match(verdict!, /^✗ /);
          assert.ok(result.report.verdict.cause, 'a failure names its cause');
          assert.ok(verdict!.includes(result.report.verdict.cause!.title.slice(0, 40)), verdict);
          assert.match(verdict!, / — Fix: \S/);
        }
        // The count line names only the cross-checks that ran.
        const sources = new Set(result.phases.flatMap((p) => p.candidates.map((c) => c.source)));
        const count = lines.find((l) => / journey steps? in /.test(l)) ?? '';
        assert.equal(/Autodiscover v2/.test(count), sources.has('autodiscover-v2'), count);
        assert.equal(/returned URLs/.test(count), sources.has('returned-url'), count);
        const table = lines.indexOf('Which clients will configure themselves');
        assert.ok(table > 0, lines.join('\n'));
        assert.equal(lines.slice(table + 1, table + 6).filter((l) => / (yes|no |  \? ) /.test(l)).length, 5, lines.slice(table, table + 6).join('\n'));
      } finally {
        await lab.close();
        await cleanup();
      }
    });
  }
});

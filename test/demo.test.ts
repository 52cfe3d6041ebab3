/**
 * `npm run demo` as a newcomer runs it: the seed journey through the lab, the verdict, then the
 * report site built from the store and where to open it (the run's own page included).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './utils/lab-run.ts';

describe('npm run demo', () => {
  it('probes the seed journey, saves the trace, builds the site and says where the run\'s page is', async () => {
    const { dir, cleanup } = await tempDir('discotrace-demo-');
    try {
      const result = spawnSync(process.execPath, ['packages/cli/src/demo.ts'], {
        env: { ...process.env, DISCOTRACE_STORE_DIR: path.join(dir, 'traces'), DISCOTRACE_SITE_OUT: path.join(dir, 'site'), NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /✓ Autodiscover works for alice@contoso\.com/);
      const runId = /run (\d{8}T\d{6}Z-[A-Z2-7]{8})/.exec(result.stdout)?.[1];
      assert.ok(runId, 'the run id is printed');
      assert.match(result.stdout, /Report site: 5 pages for 1 run from directory /);
      const runPage = /this run: (file:\S+)/.exec(result.stdout)?.[1];
      assert.ok(runPage?.endsWith(`/run/${runId}.html`));
      const file = fileURLToPath(runPage!);
      assert.ok(existsSync(file));
      const html = await readFile(file, 'utf8');
      assert.ok(html.includes('Autodiscover works for alice@contoso.com'));
      assert.match(result.stdout, /all runs: file:\S+\/index\.html/);
      assert.match(result.stdout, /npm run site:serve/);
    } finally {
      await cleanup();
    }
  });

  it('--list names every scenario with what it shows, and the demo\'s options', () => {
    const result = spawnSync(process.execPath, ['packages/cli/src/demo.ts', '--list'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /--schema outlook\|mobilesync\] \[--no-v2\]/);
    assert.match(result.stdout, /^  seed +Hybrid contoso\.com: /m);
    assert.match(result.stdout, /^  bug-23-wrong-password +\S/m);
    const rows = result.stdout.split('\n').filter((l) => /^  \S/.test(l));
    assert.ok(rows.length > 50 && rows.every((l) => /^  \S+ {2,}\S/.test(l)), 'every scenario has a description');
  });
});

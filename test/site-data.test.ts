/**
 * The site's data layer on its own: a page's work that a damaged trace still breaks is said on
 * that page and in one printable build-log line, never the end of the build.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from './utils/lab-run.ts';

let dir: string;
let cleanup: () => Promise<void>;
before(async () => {
  ({ dir, cleanup } = await tempDir('discotrace-site-data-'));
  process.env.DISCOTRACE_SITE_ROOT = dir;
  process.env.DISCOTRACE_STORE_DIR = path.join(dir, 'traces');
});
after(async () => {
  delete process.env.DISCOTRACE_SITE_ROOT;
  delete process.env.DISCOTRACE_STORE_DIR;
  await cleanup?.();
});

describe('site data: attempt()', () => {
  it('a failure becomes the page\'s problem line (no local path) and one build-log line (no control characters)', async () => {
    const { attempt } = await import('../site/src/lib/data.ts');
    const warn = mock.method(console, 'warn', () => {});
    try {
      const store = path.join(dir, 'traces');
      const result = await attempt('run R1', () => {
        throw new TypeError(`host.replace is not a function \x1b]0;PWNED\x07 in ${store}/runs/R1`);
      });
      assert.equal(result.value, undefined);
      assert.equal(result.problem, 'run R1: host.replace is not a function \\x1b]0;PWNED\\x07 in <store>/runs/R1');
      assert.equal(warn.mock.callCount(), 1);
      const line = String(warn.mock.calls[0]!.arguments[0]);
      assert.equal(line, `discotrace site: run R1: host.replace is not a function \\x1b]0;PWNED\\x07 in ${store}/runs/R1`);
      assert.ok(await attempt('fine', () => 42).then((r) => r.value === 42 && r.problem === undefined));
    } finally {
      warn.mock.restore();
    }
  });
});

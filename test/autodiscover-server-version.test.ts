import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeServerVersion } from '../packages/core/src/autodiscover/server-version.ts';

// Layout from reference §3.2, checked here against the samples: bits 31–28 = 0x7, 27–22 major,
// 21–16 minor, 15 flag, 14–0 build.
test('ServerVersion: the reference values decode (73C18E3A → 15.1.3642, 73D49F70 → 15.20.8048, 72008287 → 8.0.647)', () => {
  const table: [string, string, string | undefined][] = [
    ['73C18E3A', '15.1.3642', 'Exchange 2016'],
    ['73D49F70', '15.20.8048', 'Exchange Online'],
    ['72008287', '8.0.647', 'Exchange 2007'],
    ['738180DA', '14.1.218', 'Exchange 2010'], // BUG-06
    ['73c18e3a', '15.1.3642', 'Exchange 2016'],
  ];
  for (const [hex, text, product] of table) {
    const v = decodeServerVersion(hex);
    assert.equal(v?.text, text, hex);
    assert.equal(v?.product, product, hex);
  }
  assert.deepEqual(decodeServerVersion('73C18E3A'), { major: 15, minor: 1, build: 3642, flag: true, text: '15.1.3642', product: 'Exchange 2016' });
});

test('ServerVersion: not 8 hex digits or no 0x7 marker → undefined', () => {
  for (const bad of ['', '73C18E3', '73C18E3A0', 'ZZC18E3A', '03C18E3A', '15.1.3642']) assert.equal(decodeServerVersion(bad), undefined, bad);
});

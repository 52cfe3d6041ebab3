import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Scenario } from '@discotrace/lab';
import { runAgainstLab } from './utils/lab-run.ts';

// A WAF error page that echoes the request (Authorization header, decoded user:password) must not
// carry the secrets into the trace, the live events or the report.
const USER = 'user1@echo.example';
const PW = 'Echo-Passw0rd!';
const BASIC = Buffer.from(`${USER}:${PW}`).toString('base64');

const echoing: Scenario = {
  name: 'waf-echo',
  description: 'a WAF that echoes the credentials it was sent',
  users: [{ address: USER, username: USER, password: PW }],
  dns: {
    'echo.example': { behaviour: 'nxdomain' },
    'autodiscover.echo.example': { A: ['127.0.0.20'] },
    '_autodiscover._tcp.echo.example': { behaviour: 'nxdomain' },
  },
  endpoints: [
    { host: 'autodiscover.echo.example', port: 80, behaviour: { kind: 'closed' } },
    {
      host: 'autodiscover.echo.example', port: 443, tls: { dnsNames: ['autodiscover.echo.example'] },
      behaviour: {
        kind: 'exchange', headers: { 'X-FEServer': 'EX01' }, challenges: ['Basic realm="echo"'], basic: [{ username: USER, password: PW }],
        answers: { [USER]: { action: 'raw', status: 403, headers: { 'X-Echo-Authorization': `Basic ${BASIC}`, 'Content-Type': 'text/html' }, body: `<html><title>Blocked: ${USER}:${PW}</title><body>Authorization: Basic ${BASIC} password=${encodeURIComponent(PW)}</body></html>` } },
      },
    },
  ],
};

describe('secrets echoed by a server are scrubbed everywhere', () => {
  it('trace files, report and live events carry ******** instead of the password and its encodings', async () => {
    const run = await runAgainstLab(echoing, USER, { password: PW });
    try {
      assert.ok(run.lab.requests.some((r) => r.body.length >= 0 && r.headers.some(([n, v]) => n.toLowerCase() === 'authorization' && v === `Basic ${BASIC}`)), 'the password was really sent');
      const files: string[] = [];
      const walk = async (d: string): Promise<void> => {
        for (const e of await readdir(d, { withFileTypes: true })) (e.isDirectory() ? await walk(path.join(d, e.name)) : files.push(path.join(d, e.name)));
      };
      await walk(run.storeDir);
      const texts = [...(await Promise.all(files.map((f) => readFile(f, 'utf8')))), JSON.stringify(run.events), JSON.stringify(run.report)];
      for (const t of texts) {
        for (const secret of [PW, BASIC.replace(/=+$/, ''), encodeURIComponent(PW)]) assert.ok(!t.includes(secret), `secret form leaked: ${secret.slice(0, 5)}…`);
      }
      assert.ok(texts.some((t) => t.includes('Blocked: ********')), 'the echo is kept, masked');
      assert.equal(run.report.verdict.cause?.code, 'POST_FORBIDDEN');
    } finally {
      await run.close();
    }
  });
});

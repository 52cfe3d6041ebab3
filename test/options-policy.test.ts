import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError, resolveOptions, runPhase, newRunId } from '@discotrace/core';
import { isNonPublicAddress } from '../packages/core/src/probe/connection.ts';
import { startLab, SEED_ADDRESS, SEED_PASSWORD } from '@discotrace/lab';

describe('probe options are checked where they enter, one message each', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['unknown option', { dnsServer: ['1.1.1.1'] }, /unknown probe option "dnsServer"/],
    ['retired option names its replacement', { timeout: 5 }, /use timeouts\.\{dnsMs/],
    ['DNS server not an IP', { dnsServers: ['resolver.example'] }, /dnsServers must be IP addresses/],
    ['source not an IP', { sourceAddress: 'eth0' }, /sourceAddress must be an IP address/],
    ['CA not PEM', { trustedCaCertificates: ['hello'] }, /trustedCaCertificates must be PEM/],
    ['connect-to without port', { connectTo: { 'a.example': '127.0.0.1:1' } }, /connectTo entry "a\.example"/],
    ['zero timeout', { timeouts: { dnsMs: 0 } }, /timeouts\.dnsMs must be an integer/],
    ['unknown timeout', { timeouts: { readMs: 5 } }, /unknown timeout "readMs"/],
    ['tiny body cap', { bodyLimitBytes: 10 }, /bodyLimitBytes must be an integer ≥ 1024/],
    ['negative redirect limit', { maxRedirects: -1 }, /maxRedirects must be an integer between 0 and 50/],
    ['region with spaces', { region: 'EU West' }, /region must be a short lower-case label/],
  ];
  for (const [name, input, message] of bad) {
    it(`${name} → InvalidArgumentError`, () => {
      assert.throws(() => resolveOptions(input as never), (err: Error) => err instanceof InvalidArgumentError && message.test(err.message));
    });
  }
  it('defaults: system resolvers, real ports, 10 redirects, 1 MiB body cap', () => {
    const o = resolveOptions();
    assert.deepEqual([o.dnsServers, o.connectTo, o.maxRedirects, o.bodyLimitBytes, o.allowPrivateAddresses], [[], {}, 10, 1024 * 1024, true]);
  });
});

describe('deployed network policy: private, loopback and metadata addresses are never connected to', () => {
  const table: [string, boolean][] = [
    ['169.254.169.254', true], ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true],
    ['100.64.0.1', true], ['::1', true], ['fd00::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true],
    ['203.0.114.1', false], ['8.8.8.8', false], ['2606:4700::1111', false],
  ];
  for (const [address, blocked] of table) {
    it(`${address} is ${blocked ? 'refused' : 'allowed'}`, () => assert.equal(isNonPublicAddress(address), blocked));
  }

  it('a phase with allowPrivateAddresses=false refuses the lab (loopback) and sends it nothing', async () => {
    const lab = await startLab('seed');
    try {
      const options = resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, allowPrivateAddresses: false });
      const trace = await runPhase({ runId: newRunId(), index: 0, role: 'onprem', address: SEED_ADDRESS, hops: 0, visitedAddresses: [], visitedUrls: [] }, { options, credentials: { password: SEED_PASSWORD } });
      assert.equal(trace.outcome?.kind, 'failed');
      const codes = trace.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings.map((f) => f.code)));
      assert.ok(codes.includes('TCP_BLOCKED_POLICY'));
      assert.equal(lab.requests.length, 0);
      assert.equal(lab.connections.length, 0);
    } finally {
      await lab.close();
    }
  });
});

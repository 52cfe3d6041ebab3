/**
 * Runs one lab scenario until SIGTERM/SIGINT — for tests that need the lab in another process
 * (e.g. inside a network namespace) and for humans who want to point a client at it:
 *
 *   node packages/lab/src/serve.ts seed
 *     → prints the DNS server, connect-to map and lab root; then, in another shell:
 *       discotrace probe alice@contoso.com --dns <dnsServer> --connect-to <host:port:addr:port> … --ca-file <root.pem>
 *
 *   (as root) ip netns add lab && ip -n lab link set lo up
 *             mkdir -p /etc/netns/lab && echo 'nameserver 127.0.0.53' > /etc/netns/lab/resolv.conf
 *             DISCOTRACE_LAB_NETNS=lab ip netns exec lab node packages/lab/src/serve.ts seed --real-ports
 *     → the lab on the scenario's own addresses and real ports; any client run with
 *       `ip netns exec lab …` uses it through the ordinary system resolver (only --ca-file needed).
 *
 * Prints exactly ONE JSON line on stdout when ready:
 *   { "ready": true, "scenario", "realPorts", "address", "users", "dnsServer", "connectTo", "caCertificates" }
 * (`address` is the scenario's first user; no passwords or tokens: they are lab data exported by
 * @discotrace/lab). Failures go to stderr as one line, exit code 1; bad usage exits 2.
 */
import { parseArgs } from 'node:util';
import { LabError } from './errors.ts';
import { startLab } from './lab.ts';
import type { RunningLab } from './lab.ts';
import { scenarioNames } from './scenarios/index.ts';

const USAGE = `usage: node packages/lab/src/serve.ts <scenario> [--real-ports] [--dns-address 127.0.0.53]
scenarios: ${scenarioNames().join(', ')}
--real-ports needs root inside a network namespace named by DISCOTRACE_LAB_NETNS (see the comment atop serve.ts)`;

function fail(message: string, code: number): never {
  process.stderr.write(`lab: ${message.replace(/\n/g, ' ')}\n`);
  process.exit(code);
}

let values: { 'real-ports'?: boolean; 'dns-address'?: string; help?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      'real-ports': { type: 'boolean', default: false },
      'dns-address': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail(`${(err as Error).message.split('\n')[0]}\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(`expected one scenario name\n${USAGE}`, 2);

let lab: RunningLab;
try {
  lab = await startLab(positionals[0], {
    ...(values['real-ports'] ? { realPorts: true } : {}),
    ...(values['dns-address'] !== undefined ? { dnsAddress: values['dns-address'] } : {}),
  });
} catch (err) {
  const code = err instanceof LabError ? ` [${err.code}]` : '';
  fail(`${(err as Error).message}${code}`, err instanceof LabError && err.code === 'LAB_UNKNOWN_SCENARIO' ? 2 : 1);
}

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  const forced = setTimeout(() => process.exit(1), 5_000);
  forced.unref();
  lab.close().then(
    () => process.exit(signal === 'SIGINT' ? 130 : 0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

process.stdout.write(
  `${JSON.stringify({
    ready: true,
    scenario: lab.scenario.name,
    realPorts: Boolean(values['real-ports']),
    address: lab.scenario.users[0]?.address,
    users: lab.scenario.users.map((u) => u.address),
    dnsServer: lab.dnsServer,
    connectTo: lab.connectTo,
    caCertificates: lab.caCertificates,
  })}\n`,
);
if (process.stderr.isTTY) {
  const via = values['real-ports']
    ? '(inside the namespace, system resolver)'
    : `--dns ${lab.dnsServer} ${Object.entries(lab.connectTo).map(([from, to]) => `--connect-to ${from}:${to}`).join(' ')}`;
  process.stderr.write(`lab "${lab.scenario.name}" running; save caCertificates to root.pem, then:\n  discotrace probe ${lab.scenario.users[0]?.address ?? '<address>'} ${via} --ca-file root.pem\nCtrl-C to stop.\n`);
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startLab, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, headerValue, type RunningLab } from '@discotrace/lab';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { CLI, runCli } from './utils/cli.ts';
import { tempDir } from './utils/lab-run.ts';

describe('discotrace probe: bad usage gets one line and exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /missing command/],
    ['unknown command', ['trace', 'a@b.com'], /unknown command "trace"/],
    ['missing address', ['probe'], /missing address/],
    ['not an address', ['probe', 'not-an-address'], /not a usable e-mail address/],
    ['two @ signs and spaces', ['probe', 'a b@@contoso.com'], /not a usable e-mail address/],
    ['password on the command line', ['probe', 'alice@contoso.com', '--password', 'x'], /--password is not accepted/],
    ['password= on the command line', ['probe', 'alice@contoso.com', '--password=x'], /--password is not accepted/],
    ['unknown flag', ['probe', 'alice@contoso.com', '--frobnicate'], /unknown option --frobnicate \(see --help\)/],
    ['missing CA file', ['probe', 'alice@contoso.com', '--ca-file', '/nonexistent/ca.pem'], /--ca-file \/nonexistent\/ca.pem: no such file/],
    ['bad DNS server', ['probe', 'alice@contoso.com', '--dns', 'dns.example'], /--dns must be IP addresses/],
    ['bad connect-to', ['probe', 'alice@contoso.com', '--connect-to', 'nonsense'], /--connect-to "nonsense" must look like/],
    ['unset password variable', ['probe', 'alice@contoso.com', '--password-env', 'DT_NOT_SET'], /DT_NOT_SET: the environment variable is not set/],
    ['bad timeout', ['probe', 'alice@contoso.com', '--timeout', 'soon'], /--timeout must be a whole number of milliseconds from 1 to 600000/],
    ['huge timeout', ['probe', 'alice@contoso.com', '--timeout', '99999999999'], /^discotrace: --timeout must be a whole number of milliseconds from 1 to 600000$/],
    // From the README walkthrough: node's own parser messages, said the CLI's way.
    ['negative timeout', ['probe', 'alice@contoso.com', '--timeout', '-5'], /--timeout needs a value \(a value that starts with "-" is written --timeout=-…\)/],
    ['negative timeout with =', ['probe', 'alice@contoso.com', '--timeout=-5'], /--timeout must be a whole number/],
    // A CA file is a few KiB of PEM: a device or a FIFO is refused at once, never read.
    ['CA file that is a device', ['probe', 'alice@contoso.com', '--ca-file', '/dev/zero'], /--ca-file \/dev\/zero: not a regular file/],
    ['CA file that is a folder', ['probe', 'alice@contoso.com', '--ca-file', '/tmp'], /--ca-file \/tmp: not a regular file/],
    ['option without its value', ['probe', 'alice@contoso.com', '--dns'], /--dns needs a value$/],
    ['value for a switch', ['probe', 'alice@contoso.com', '--json=yes'], /--json takes no value/],
    // A mistyped --store is bad usage, said before any password question, naming the flag.
    ['malformed --store', ['probe', 'alice@contoso.com', '--store', 's3://'], /^discotrace: --store "s3:\/\/": expected s3:\/\/bucket/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name} → exit 2, one line, no stack trace`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^discotrace: /);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
      assert.equal(r.stdout, '');
    });
  }

  it('--password-stdin with nothing on standard input → exit 2, not a silent anonymous run', async () => {
    const r = await runCli(['probe', 'alice@contoso.com', '--password-stdin'], { input: '' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^discotrace: --password-stdin: standard input held no password .*--no-auth/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('--help → exit 0 and documents the exit codes', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes: 0 settings found, 1 Autodiscover fails/);
    // Every setting the tool reads is named, the environment too.
    for (const name of ['DISCOTRACE_STORE_DIR', 'DISCOTRACE_STORE=', 'DISCOTRACE_S3_ENDPOINT', 'DISCOTRACE_PASSWORD', 'DISCOTRACE_TOKEN']) assert.ok(r.stdout.includes(name), name);
  });
});

describe('credentials never leave a trace: every artefact of a run is scanned for the secrets', () => {
  let lab: RunningLab;
  let dir: string;
  let cleanup: () => Promise<void>;
  const outputs: string[] = [];
  const env = { DT_PASSWORD: SEED_PASSWORD, DT_TOKEN: SEED_BEARER_TOKEN };

  before(async () => {
    lab = await startLab('seed');
    ({ dir, cleanup } = await tempDir());
    const ca = path.join(dir, 'lab-ca.pem');
    await writeFile(ca, lab.caCertificates.join('\n'));
    const base = ['probe', SEED_ADDRESS, '--dns', lab.dnsServer, '--ca-file', ca, '--password-env', 'DT_PASSWORD', '--token-env', 'DT_TOKEN', '--store', path.join(dir, 'store')];
    for (const [from, to] of Object.entries(lab.connectTo)) base.push('--connect-to', `${from}:${to}`);
    const plain = await runCli(base, { env });
    const json = await runCli([...base, '--json'], { env });
    const stdin = await runCli(['probe', SEED_ADDRESS, ...base.slice(2).filter((a, i, all) => a !== '--password-env' && all[i - 1] !== '--password-env'), '--password-stdin'], { env: { DT_TOKEN: SEED_BEARER_TOKEN }, input: `${SEED_PASSWORD}\n` });
    for (const r of [plain, json, stdin]) {
      assert.equal(r.code, 0, r.stderr + r.stdout);
      outputs.push(r.stdout, r.stderr);
    }
  });
  after(async () => {
    await lab?.close();
    await cleanup?.();
  });

  it('the secrets were really used (Basic to on-prem, Bearer to Exchange Online)', () => {
    const basic = Buffer.from(`${SEED_ADDRESS}:${SEED_PASSWORD}`).toString('base64');
    const auths = lab.requests.map((r) => headerValue(r, 'authorization')).filter(Boolean);
    assert.ok(auths.includes(`Basic ${basic}`));
    assert.ok(auths.includes(`Bearer ${SEED_BEARER_TOKEN}`));
  });

  it('no stdout, stderr or stored file contains the password, the token or their encodings', async () => {
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else files.push(p);
      }
    };
    await walk(path.join(dir, 'store'));
    assert.ok(files.length >= 6, `three runs, each a report and two phases: ${files.length}`);
    const artefacts = [...outputs, ...(await Promise.all(files.map((f) => readFile(f, 'utf8'))))];
    const secrets = [
      SEED_PASSWORD,
      SEED_BEARER_TOKEN,
      Buffer.from(`${SEED_ADDRESS}:${SEED_PASSWORD}`).toString('base64'),
      Buffer.from(SEED_PASSWORD).toString('base64'),
      encodeURIComponent(SEED_PASSWORD),
      Buffer.from(SEED_PASSWORD).toString('hex'),
      SEED_BEARER_TOKEN.slice(0, 40),
    ];
    for (const text of artefacts) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `secret found in an artefact: ${secret.slice(0, 6)}…`);
    }
    assert.ok(artefacts.some((t) => t.includes('Basic ********')), 'masked Authorization is recorded');
  });
});

describe('a trace store that cannot be written is the tool failing: exit 3, one line naming it', () => {
  it('store path under a regular file → exit 3 with the path and STORE_IO, no stack trace', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(path.join(dir, 'afile'), 'x');
      const r = await runCli(['probe', 'someone@example.invalid', '--no-auth', '--dns', '127.0.0.1:9', '--timeout', '300', '--store', path.join(dir, 'afile', 'sub')]);
      assert.equal(r.code, 3, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /afile\/sub/);
      assert.match(lines[0]!, /\[STORE_IO\]/);
      // Said before the probe runs (and would sign in anywhere), not after.
      assert.equal(r.stdout, '');
    } finally {
      await cleanup();
    }
  });

  for (const [name, store, code, message] of [
    ['a kernel filesystem', '/proc/discotrace-test', 2, /not a place for traces/],
    ['an unknown URL scheme', 'ftp://example.invalid/x', 2, /--store "ftp:\/\/example\.invalid\/x": unsupported scheme "ftp:"/],
    ['an empty value', '', 2, /--store must not be empty/],
  ] as const) {
    it(`--store ${name} → exit ${code}`, async () => {
      const r = await runCli(['probe', 'someone@example.invalid', '--no-auth', '--store', store], { timeoutMs: 20_000 });
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});

describe('paths a person types are relative to where they typed them (npm runs scripts from the repository root)', () => {
  it('--store and DISCOTRACE_STORE_DIR resolve against INIT_CWD', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const probe = ['probe', 'someone@example.invalid', '--no-auth', '--no-v2', '--dns', '127.0.0.1:9', '--timeout', '300'];
      const flag = await runCli([...probe, '--store', 'from-flag'], { env: { INIT_CWD: dir, npm_package_name: 'discotrace' } });
      assert.equal(flag.code, 1, flag.stderr);
      const variable = await runCli(probe, { env: { INIT_CWD: dir, npm_package_name: 'discotrace', DISCOTRACE_STORE_DIR: 'from-variable' } });
      assert.equal(variable.code, 1, variable.stderr);
      for (const name of ['from-flag', 'from-variable']) assert.equal((await readdir(path.join(dir, name, 'runs'))).length, 1, name);
    } finally {
      await cleanup();
    }
  });
});

describe('INIT_CWD of another project\'s npm script is not where the person is', () => {
  it('only this project\'s own npm scripts resolve against INIT_CWD; otherwise the current folder', async () => {
    const { userDirectory } = await import('../packages/cli/src/user-paths.ts');
    assert.equal(userDirectory({ INIT_CWD: '/elsewhere', npm_package_name: 'discotrace' }), '/elsewhere');
    assert.equal(userDirectory({ INIT_CWD: '/elsewhere', npm_package_name: 'reports' }), process.cwd());
    assert.equal(userDirectory({ INIT_CWD: '/elsewhere' }), process.cwd());
  });
});

describe('a kernel filesystem behind a symlink is refused too', () => {
  it('--store <symlink to /proc>/x → exit 2, no hang', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const { symlink } = await import('node:fs/promises');
      await symlink('/proc', path.join(dir, 'lnk'));
      const r = await runCli(['probe', 'someone@example.invalid', '--no-auth', '--store', path.join(dir, 'lnk', 'x')], { timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not a place for traces/);
    } finally {
      await cleanup();
    }
  });
});

describe('--password-stdin on a terminal reads like the prompt: the password is never shown', () => {
  it('typed at a terminal (a pty), the password does not appear in what the terminal shows', (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 (for a pty) is not here');
    // python3's pty: the CLI gets a real terminal; everything it (and the tty's echo) shows is read back.
    const script = [
      'import os, pty, sys, time',
      'pid, fd = pty.fork()',
      'if pid == 0:',
      '    os.execv(sys.argv[1], sys.argv[1:])',
      'time.sleep(1.5)',
      'os.write(fd, b"Sup3rSecret\\n")',
      'out = b""',
      'while True:',
      '    try:',
      '        chunk = os.read(fd, 4096)',
      '    except OSError:',
      '        break',
      '    if not chunk:',
      '        break',
      '    out += chunk',
      'os.waitpid(pid, 0)',
      'sys.stdout.write(out.decode("utf8", "replace"))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, process.execPath, CLI, 'probe', 'someone@example.invalid', '--password-stdin', '--no-v2', '--dns', '127.0.0.1:9', '--timeout', '300', '--store', path.join(os.tmpdir(), `discotrace-pty-${process.pid}`)], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    spawnSync('rm', ['-rf', path.join(os.tmpdir(), `discotrace-pty-${process.pid}`)]);
    assert.match(r.stdout, /Password for someone@example\.invalid: /, r.stdout);
    assert.ok(!r.stdout.includes('Sup3rSecret'), `the password was shown:\n${r.stdout}`);
    assert.match(r.stdout, /signing in with a password/);
  });
});

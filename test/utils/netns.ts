import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Shared by the tests that run the lab and the CLI inside a network namespace of their own.

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const NODE = path.join(ROOT, 'node_modules/.bin/node');
export const SERVE = path.join(ROOT, 'packages/lab/src/serve.ts');
export const CLI = path.join(ROOT, 'packages/cli/src/cli.ts');

/** Why this machine cannot run a namespace test, or undefined when it can. */
export function whyNotNetns(what = 'a network namespace (ip netns add)'): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux-only';
  if (process.getuid?.() !== 0) return `needs root to create ${what}`;
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.error) return `iproute2 is not installed (ip: ${(ip.error as NodeJS.ErrnoException).code}); apt-get install -y iproute2`;
  return undefined;
}

export function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim() || r.error?.message}`);
  return r.stdout;
}

/** A child environment with nothing from this process that could steer it (DISCOTRACE_*, NODE_*). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...(process.env.HOME ? { HOME: process.env.HOME } : {}), NO_COLOR: '1', ...extra };
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (killed after `timeoutMs`). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** The lab's ready line (packages/lab/src/serve.ts). */
export interface LabReady {
  ready: true;
  scenario: string;
  realPorts: boolean;
  address: string;
  dnsServer: string;
  connectTo: Record<string, string>;
  caCertificates: string[];
}

/** Waits for the lab's one JSON line on stdout; rejects on exit, bad output or timeout. */
export function waitReady(child: ChildProcess, timeoutMs: number): Promise<LabReady> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const finish = (err?: Error, ready?: LabReady) => {
      clearTimeout(timer);
      child.stdout!.off('data', onOut);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(ready!);
    };
    const onOut = (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      try {
        finish(undefined, JSON.parse(stdout.slice(0, nl)) as LabReady);
      } catch (err) {
        finish(new Error(`lab printed something other than its ready line: ${stdout.slice(0, 200)}`, { cause: err }));
      }
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`lab exited before it was ready (code ${code}, signal ${signal}): ${stderr.trim()}`));
    const timer = setTimeout(() => finish(new Error(`lab not ready after ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', onOut);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', onExit);
  });
}

/**
 * A network namespace for one test file: created with its loopback up and a temporary folder,
 * optionally with its own /etc/netns/<name>/ (files `ip netns exec` bind-mounts over /etc), and
 * the lab child the test starts in it. Torn down by close() — or, should the test process be
 * interrupted, by the exit and signal handlers open() installs — so nothing outlives the test.
 */
export class TestNamespace {
  readonly name: string;
  readonly etcDir: string;
  tmp = '';
  lab: ChildProcess | undefined;
  private created = false;
  private readonly withEtc: boolean;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.cleanupSync();
    process.kill(process.pid, signal);
  };

  constructor(prefix: string, withEtc = false) {
    this.withEtc = withEtc;
    this.name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.etcDir = `/etc/netns/${this.name}`;
  }

  open(): void {
    process.on('exit', this.cleanupSync);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    this.tmp = mkdtempSync(path.join(os.tmpdir(), `discotrace-${this.name}-`));
    ip('netns', 'add', this.name);
    this.created = true;
    ip('-n', this.name, 'link', 'set', 'lo', 'up');
    if (this.withEtc) mkdirSync(this.etcDir, { recursive: true });
  }

  /** Stops the lab gently (serve.ts closes its listeners on SIGTERM), then removes everything. */
  async close(): Promise<void> {
    const lab = this.lab;
    if (lab?.pid !== undefined && lab.exitCode === null && lab.signalCode === null) {
      const exited = new Promise<void>((resolve) => lab.once('exit', () => resolve()));
      lab.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    this.cleanupSync();
    process.off('exit', this.cleanupSync);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  /** Synchronous, idempotent: usable from close(), exit and signal handlers alike. */
  readonly cleanupSync = (): void => {
    const lab = this.lab;
    if (lab?.pid !== undefined && lab.exitCode === null && lab.signalCode === null) {
      try {
        process.kill(lab.pid, 'SIGKILL');
      } catch {}
    }
    if (this.created) {
      spawnSync('ip', ['netns', 'del', this.name]); // removes any veth pair with it
      this.created = false;
    }
    if (this.withEtc) {
      rmSync(this.etcDir, { recursive: true, force: true });
      try {
        if (readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
      } catch {}
    }
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = '';
  };
}

/**
 * `npm run site:serve`: a static server for a built site on loopback. Only files inside the site
 * folder, only GET and HEAD, only for loopback host names, and every answer a status with a short
 * text (never a stack trace), whatever the path says.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { serveSite, type SiteServer } from '../site/serve.ts';
import { tempDir } from './utils/lab-run.ts';

let dir: string;
let cleanup: () => Promise<void>;
let server: SiteServer;

/** A raw request: the path goes out exactly as written (no client-side normalising of ../ or %2f). */
function get(pathname: string, options: { method?: string; host?: string; headers?: Record<string, string | string[]> } = {}): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${server.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  ({ dir, cleanup } = await tempDir('discotrace-serve-'));
  const site = path.join(dir, 'site');
  await mkdir(path.join(site, 'run'), { recursive: true });
  await writeFile(path.join(site, 'index.html'), '<!doctype html><title>runs</title>');
  await writeFile(path.join(site, 'run', 'R1.html'), '<!doctype html><title>R1</title>');
  await writeFile(path.join(site, 'discotrace.css'), 'body{}');
  await writeFile(path.join(dir, 'secret.txt'), 'SECRET');
  await symlink(path.join(dir, 'secret.txt'), path.join(site, 'leak.txt'));
  await mkdir(path.join(site, 'folder.html'));
  server = await serveSite({ outDir: site, port: 0, log: () => {} });
});
after(async () => {
  await server?.close();
  await cleanup?.();
});

describe('site:serve answers', () => {
  it('pages, folders and extension-less paths, with their content types', async () => {
    const index = await get('/');
    assert.equal(index.status, 200);
    assert.match(index.type, /^text\/html/);
    assert.match(index.body, /runs/);
    assert.equal((await get('/run/R1.html')).status, 200);
    assert.equal((await get('/run/R1')).body, '<!doctype html><title>R1</title>');
    assert.match((await get('/discotrace.css')).type, /^text\/css/);
    const head = await get('/index.html', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['x-content-type-options'], 'nosniff');
    // A page of another origin (another local server, a file:// page) cannot read the runs through a script tag.
    assert.equal(head.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal((await get('/nope')).headers['cross-origin-resource-policy'], 'same-origin');
  });

  it('a page path ending in "/" is not that page (its relative links would break); a folder named x.html is no page', async () => {
    assert.equal((await get('/index.html/')).status, 404);
    assert.equal((await get('/run/R1.html/')).status, 404);
    assert.equal((await get('/folder.html')).status, 404);
  });

  it('an absolute-form request target is served when it names this server, refused otherwise', async () => {
    assert.equal((await get(`http://127.0.0.1:${server.port}/run/R1.html`)).status, 200);
    assert.equal((await get('http://evil.example/run/R1.html')).status, 403);
  });

  for (const [name, pathname, status] of [
    ['an encoded ../ and slash', '/%2e%2e%2fsecret.txt', 400],
    ['../ after a folder, encoded', '/run/..%2f..%2fsecret.txt', 400],
    ['a plain ../', '/../secret.txt', 400],
    ['a backslash', '/run%5c..%5c..%5csecret.txt', 400],
    ['a NUL byte', '/index.html%00.css', 400],
    ['broken percent-encoding', '/%E0%A4%A', 400],
    ['a link that leads out of the site', '/leak.txt', 404],
    ['a page that does not exist', '/run/NOPE.html', 404],
  ] as const) {
    it(`${name} → ${status}, a short text, no stack trace, nothing from outside the site`, async () => {
      const r = await get(pathname);
      assert.equal(r.status, status, r.body);
      assert.ok(r.body.length < 400, r.body);
      assert.doesNotMatch(r.body, /SECRET|at .*:\d+:\d+|Error/);
    });
  }

  it('only GET and HEAD; only loopback host names (no DNS rebinding)', async () => {
    const post = await get('/', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal((await get('/', { host: 'evil.example' })).status, 403);
    assert.equal((await get('/', { host: `localhost:${server.port}` })).status, 200);
    // Two Host headers: which one a proxy would believe is anyone's guess.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
  });
});

describe('site:serve ports', () => {
  it('a port the user chose that is taken is refused in one line, not moved', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      await assert.rejects(serveSite({ outDir: path.join(dir, 'site'), port }), new RegExp(`^SiteError: port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      other.close();
    }
  });

  it('the CLI serves until SIGTERM, then exits 0 even with a browser connection open', async () => {
    const child = spawn(process.execPath, ['packages/cli/src/site.ts', 'serve', '--out', path.join(dir, 'site'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !/Serving .* at (http:\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 25));
    const url = /at (http:\S+)/.exec(out)?.[1];
    assert.ok(url, out);
    // A kept-alive connection, as a browser leaves it.
    const agentReq = request(`${url}index.html`, { headers: { connection: 'keep-alive' } });
    await new Promise<void>((resolve) => { agentReq.on('response', (res) => { res.resume(); resolve(); }); agentReq.end(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 0);
  });
});

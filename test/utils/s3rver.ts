import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * s3rver in a child process. Node 24's OpenSSL 3 refuses the DES cipher s3rver 3.7.1 uses for
 * ListObjectsV2 continuation tokens (every truncated listing fails with InternalError), so the
 * server runs with --openssl-legacy-provider, which only a process can choose at start-up.
 * The child exits when its stdin closes, so it cannot outlive this test process.
 */
export async function startS3rver(dir: string, buckets: string[]): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const script = `
    import S3rver from 's3rver';
    const [dir, buckets] = [process.argv[1], JSON.parse(process.argv[2])];
    const server = new S3rver({
      address: '127.0.0.1', port: 0, silent: true, directory: dir,
      configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    });
    const { port } = await server.run();
    process.stdout.write(JSON.stringify({ port }) + '\\n');
    process.stdin.on('close', () => server.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--input-type=module', '-e', script, dir, JSON.stringify(buckets)],
    { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening: ${stderr}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}


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
  // s3rver 3.7.1 answers a PUT once its data has gone into the file stream, not once the file is
  // written: a GET right after may read an empty or partial object (seen under CI load). The
  // object is written whole here before the PUT is answered.
  const script = `
    import S3rver from 's3rver';
    import { createHash } from 'node:crypto';
    import { mkdir, writeFile } from 'node:fs/promises';
    import path from 'node:path';
    const [dir, buckets] = [process.argv[1], JSON.parse(process.argv[2])];
    const server = new S3rver({
      address: '127.0.0.1', port: 0, silent: true, directory: dir,
      configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    });
    const store = server.store;
    store.putObject = async (object) => {
      const chunks = [];
      if (Buffer.isBuffer(object.content)) chunks.push(object.content);
      else for await (const chunk of object.content) chunks.push(Buffer.from(chunk));
      const body = Buffer.concat(chunks);
      const file = store.getResourcePath(object.bucket, object.key, 'object');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, body);
      const md5 = createHash('md5').update(body).digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size: body.length, md5 };
    };
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


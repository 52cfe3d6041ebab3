import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads a secret: the first line of a piped stdin, or a prompt on the terminal with echo off.
 * The value is returned to the caller only; nothing here logs or stores it.
 */
export async function readSecret(stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => void }, opts: { prompt: boolean; label?: string }): Promise<string | undefined> {
  // Echo is suppressed by writing the prompt ourselves and muting readline's output.
  const muted = new Writable({ write(_chunk, _enc, cb) { cb(); } });
  if (opts.prompt) process.stderr.write(opts.label ?? 'Password: ');
  const rl = createInterface({ input: stdin, output: muted, terminal: Boolean(opts.prompt && stdin.isTTY) });
  try {
    const line = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (l) => resolve(l));
      rl.once('close', () => resolve(undefined));
    });
    if (opts.prompt) process.stderr.write('\n');
    const value = line?.replace(/\r$/, '');
    return value ? value : undefined;
  } finally {
    rl.close();
  }
}

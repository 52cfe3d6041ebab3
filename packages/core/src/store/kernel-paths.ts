/**
 * /proc, /sys and /dev are not storage: a recursive mkdir under /proc never returns, and a file
 * written under /dev lands on a device file system. Judged by the real path of the nearest part
 * that exists, so a symlink into them is caught too. /dev/shm is an ordinary tmpfs.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export function isKernelFilesystem(p: string): boolean {
  let probe = path.resolve(p);
  let rest = '';
  while (!existsSync(probe) && path.dirname(probe) !== probe) {
    rest = path.join(path.basename(probe), rest);
    probe = path.dirname(probe);
  }
  let real = probe;
  try {
    real = path.join(realpathSync(probe), rest);
  } catch {
    // Unreadable: judged by its name.
  }
  return /^\/(proc|sys)(\/|$)/.test(real) || (/^\/dev(\/|$)/.test(real) && !/^\/dev\/shm(\/|$)/.test(real));
}

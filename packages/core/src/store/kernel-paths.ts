/**
 * /proc, /sys and /dev are not storage: a recursive mkdir under /proc never returns, and a file
 * written under /dev lands on a device file system. Judged by the real path of the nearest part
 * that exists, so a symlink into them is caught too. /dev/shm is an ordinary tmpfs.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export function isKernelFilesystem(p: string): boolean {
  const real = realPathOfNearest(p);
  return /^\/(proc|sys)(\/|$)/.test(real) || (/^\/dev(\/|$)/.test(real) && !/^\/dev\/shm(\/|$)/.test(real));
}

/**
 * The real path of `p`, resolving the part that exists (the rest may be created later): a
 * symlinked alias of a folder compares equal to the folder. Unresolvable: the absolute path as given.
 */
export function realPathOfNearest(p: string): string {
  let probe = path.resolve(p);
  let rest = '';
  while (!existsSync(probe) && path.dirname(probe) !== probe) {
    rest = path.join(path.basename(probe), rest);
    probe = path.dirname(probe);
  }
  try {
    return path.join(realpathSync(probe), rest);
  } catch {
    return path.join(probe, rest);
  }
}

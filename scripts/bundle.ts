/**
 * `npm run bundle [outDir]`: each Lambda handler as one ESM file, dist/functions/<name>/index.mjs,
 * built the way toolchain.md ("Lambda bundles") found to work on the nodejs24.x runtime. SST bundles
 * the deployed functions itself (with the same createRequire banner); this build is what the tests
 * load, and a size check for every change.
 */
import { stat } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle name → handler source (each exports `handler`). */
export const HANDLERS: Record<string, string> = {
  'on-prem-probe': 'functions/src/on-prem-probe.ts',
  'cloud-probe': 'functions/src/cloud-probe.ts',
  'report-handler': 'functions/src/report-handler.ts',
  trigger: 'functions/src/trigger.ts',
};

// undici (and other CommonJS inside the bundle) calls require(); an ESM bundle has none of its own.
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface BuiltBundle {
  name: string;
  file: string;
  bytes: number;
  /** Packages left as imports (node: builtins aside): what the runtime must provide. */
  externals: string[];
}

export async function bundleHandlers(outDir: string = path.join(root, 'dist', 'functions')): Promise<BuiltBundle[]> {
  const built: BuiltBundle[] = [];
  for (const [name, entry] of Object.entries(HANDLERS)) {
    const file = path.join(outDir, name, 'index.mjs');
    const { metafile } = await build({
      entryPoints: [path.join(root, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      banner: { js: BANNER },
      // The Lambda runtime ships the v3 SDK; leaving it out halves the bundle (toolchain.md).
      external: ['@aws-sdk/*'],
      logLevel: 'warning',
      metafile: true,
    });
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    const externals = [...new Set(imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path))].sort();
    built.push({ name, file, bytes: (await stat(file)).size, externals });
  }
  return built;
}

if (import.meta.main) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  for (const { name, file, bytes } of await bundleHandlers(outDir)) {
    console.log(`${name.padEnd(16)} ${(bytes / 1024 / 1024).toFixed(2).padStart(6)} MB  ${path.relative(process.cwd(), file)}`);
  }
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire, findPackageJSON } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { bundleHandlers, HANDLERS, type BuiltBundle } from '../scripts/bundle.ts';
import { buildDefinition } from '../packages/core/src/workflow/definition.ts';

const run = promisify(execFile);
// asl-validator ships no type declarations, so it is loaded through require with a narrow type.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};
const functionsDir = pathToFileURL(path.resolve(import.meta.dirname, '..', 'functions', 'package.json'));

describe('Lambda bundles (scripts/bundle.ts)', () => {
  let dir: string;
  let bundles: BuiltBundle[];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'discotrace-bundle-'));
    bundles = await bundleHandlers(dir);
    // Stand in for the Lambda runtime, which provides the v3 SDK and nothing else: only the
    // @aws-sdk packages the bundles leave external are made resolvable next to them.
    for (const name of new Set(bundles.flatMap((b) => b.externals))) {
      const packageJson = findPackageJSON(name, functionsDir);
      assert.ok(packageJson, `${name} is not installed`);
      await mkdir(path.join(dir, 'node_modules', path.dirname(name)), { recursive: true });
      await symlink(path.dirname(packageJson), path.join(dir, 'node_modules', name));
    }
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds every handler, leaving only @aws-sdk/* external', () => {
    assert.deepEqual(bundles.map((b) => b.name), Object.keys(HANDLERS));
    for (const b of bundles) {
      assert.ok(b.bytes > 0, `${b.name} is empty`);
      for (const external of b.externals) assert.match(external, /^@aws-sdk\//, `${b.name} leaves ${external} unbundled`);
    }
  });

  // A fresh Node 24 process with a bare environment, as on Lambda: the linked bucket arrives as
  // SST_RESOURCE_TraceBucket (what `link` sets), and nothing outside the temp directory resolves.
  const env = {
    PATH: process.env.PATH ?? '',
    SST_RESOURCE_TraceBucket: JSON.stringify({ name: 'b' }),
    SST_RESOURCE_Workflows: JSON.stringify({ defaultRegion: 'eu-west-1', stateMachines: { 'eu-west-1': 'arn:aws:states:eu-west-1:123456789012:stateMachine:Workflow' } }),
  };

  for (const name of Object.keys(HANDLERS)) {
    it(`${name}: the bundle loads in a child process and exports a handler`, async () => {
      const file = bundles.find((b) => b.name === name)?.file ?? assert.fail(`no bundle for ${name}`);
      const script = 'const m = await import(process.argv[1]); console.log(typeof m.handler);';
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], { cwd: dir, env });
      assert.equal(stdout.trim(), 'function');
    });
  }

  it('trigger: the bundled handler answers a bad request without touching AWS', async () => {
    const file = bundles.find((b) => b.name === 'trigger')?.file ?? assert.fail('no trigger bundle');
    const script = [
      'const { handler } = await import(process.argv[1]);',
      "const event = { queryStringParameters: { address: 'not-an-address' }, requestContext: { http: { method: 'GET' } } };",
      'console.log(JSON.stringify(await handler(event, { getRemainingTimeInMillis: () => 10_000 })));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], { cwd: dir, env });
    const result = JSON.parse(stdout);
    assert.equal(result.statusCode, 400);
    assert.match(JSON.parse(result.body).error, /^invalid address: /);
  });
});

describe('state-machine definition (asl-validator)', () => {
  // What infra/workflow.ts deploys: the definition with real-looking ARNs, through JSON.
  const deployed = JSON.parse(JSON.stringify(buildDefinition({
    onPremProbeArn: 'arn:aws:lambda:eu-west-1:123456789012:function:discotrace-production-OnPremProbe',
    cloudProbeArn: 'arn:aws:lambda:eu-west-1:123456789012:function:discotrace-production-CloudProbe',
    reportArn: 'arn:aws:lambda:eu-west-1:123456789012:function:discotrace-production-Report',
  })));

  it('the deployed definition is valid ASL', () => {
    const result = validateAsl(deployed);
    assert.ok(result.isValid, result.errorsText('\n'));
  });

  it('rejects a definition whose Next points nowhere (the validator does catch broken wiring)', () => {
    const broken = structuredClone(deployed);
    broken.States.OnPremFailed.Next = 'Nowhere';
    const result = validateAsl(broken);
    assert.equal(result.isValid, false);
    assert.match(result.errorsText('\n'), /MISSING_TRANSITION_TARGET.*Nowhere/);
  });
});

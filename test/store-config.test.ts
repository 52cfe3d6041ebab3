import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { storeFromConfig } from '../packages/core/src/store/config.ts';
import { LocalDirectoryStore } from '../packages/core/src/store/local-directory.ts';
import { S3Store } from '../packages/core/src/store/s3.ts';

// Choosing a store touches nothing (no directory is created, no request is sent), so these
// tests need neither a disk fixture nor s3rver; test/store-s3.test.ts uses a chosen S3 store.
const cwd = path.resolve('/srv/discotrace-work');

describe('storeFromConfig', () => {
  it('defaults to .discotrace/traces under the working directory', () => {
    const { store, location } = storeFromConfig({}, { cwd });
    assert.ok(store.blobs instanceof LocalDirectoryStore);
    assert.equal(location, `directory ${path.join(cwd, '.discotrace', 'traces')}`);
    assert.equal(store.location, location);
  });

  it('DISCOTRACE_STORE_DIR overrides the directory (relative to the working directory)', () => {
    assert.equal(storeFromConfig({ DISCOTRACE_STORE_DIR: 'out/traces' }, { cwd }).location, `directory ${path.join(cwd, 'out', 'traces')}`);
    assert.equal(storeFromConfig({ DISCOTRACE_STORE_DIR: '/var/lib/dt' }, { cwd }).location, 'directory /var/lib/dt');
    assert.equal(storeFromConfig({ DISCOTRACE_STORE_DIR: '  ' }, { cwd }).location, `directory ${path.join(cwd, '.discotrace', 'traces')}`);
  });

  it('DISCOTRACE_STORE=s3://bucket/prefix selects S3, with endpoint and region from the environment', () => {
    const { store, location } = storeFromConfig({
      DISCOTRACE_STORE: 's3://dt-traces/prod/eu',
      DISCOTRACE_S3_ENDPOINT: 'http://127.0.0.1:4568',
      AWS_REGION: 'eu-west-1',
    });
    assert.ok(store.blobs instanceof S3Store);
    assert.equal(location, 's3://dt-traces/prod/eu');
    assert.equal(store.blobs.endpoint, 'http://127.0.0.1:4568');
    assert.equal(storeFromConfig({ DISCOTRACE_STORE: 's3://dt-traces' }).location, 's3://dt-traces');
    store.blobs.close();
  });

  it('a bucket passed by the deployment selects S3; an explicit DISCOTRACE_STORE still wins', () => {
    const deployed = storeFromConfig({ DISCOTRACE_STORE_DIR: '/ignored' }, { bucket: 'app-prod-tracebucket', region: 'us-east-1' });
    assert.equal(deployed.location, 's3://app-prod-tracebucket');
    const overridden = storeFromConfig({ DISCOTRACE_STORE: 'file:///tmp/dt' }, { bucket: 'app-prod-tracebucket' });
    assert.equal(overridden.location, 'directory /tmp/dt');
  });

  it('an unknown scheme or a malformed value is one clear STORE_CONFIG error', () => {
    for (const [value, mentions] of [
      ['gs://bucket/traces', 'unsupported scheme "gs:"'],
      ['./traces', 'DISCOTRACE_STORE_DIR'],
      ['s3://', 's3://bucket'],
      ['s3://Not_A_Bucket/x', 'invalid S3 bucket name'],
      ['file://host/share', 'file:///'],
    ]) {
      assert.throws(
        () => storeFromConfig({ DISCOTRACE_STORE: value }, { cwd }),
        (error: Error & { code?: string }) => {
          assert.equal(error.name, 'StoreError');
          assert.equal(error.code, 'STORE_CONFIG');
          assert.ok(error.message.includes(mentions), `${error.message} (for ${value})`);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    }
  });
});

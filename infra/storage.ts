// Where every phase trace and run report lands. It stays in the home region even when probes run
// from several regions: one bucket, one key layout (packages/core/src/store/trace-store.ts).
export const traceBucket = new sst.aws.Bucket("TraceBucket");

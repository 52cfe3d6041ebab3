// The report site: built from the trace bucket when the app deploys (`npm run site` with
// DISCOTRACE_STORE pointing at the bucket, read with the deployer's credentials) and served by
// CloudFront from S3. It shows the runs stored at deploy time; redeploy (or run `npm run site`
// against the bucket and upload site/dist) to publish newer runs. Same build as locally.
// Note: CloudFront serves it publicly and a trace names mail hosts, addresses and certificates;
// put it behind your own access control before storing real organisations' runs.
import { traceBucket } from "./storage.ts";

export const site = new sst.aws.StaticSite("ReportSite", {
  path: ".",
  build: { command: "npm run site", output: "site/dist" },
  environment: {
    DISCOTRACE_STORE: $interpolate`s3://${traceBucket.name}`,
    ASTRO_TELEMETRY_DISABLED: "1",
  },
  indexPage: "index.html",
});

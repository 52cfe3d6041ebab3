// The three Lambdas the state machine invokes, once per probing region. Each is a thin adapter in
// functions/src around @discotrace/core (style.md item 9); the bucket is linked, so the handler
// reads Resource.TraceBucket.name instead of a hand-made variable.
import { DEFAULT_PROBE_TIMEOUT_SECONDS, DEFAULT_REPORT_TIMEOUT_SECONDS } from "@discotrace/core/workflow/definition";
import { traceBucket } from "./storage.ts";

// The state machine gives up on a task after DEFAULT_*_TIMEOUT_SECONDS. The Lambda stops 5 s
// sooner, so what the Catch sees is the function's own timeout (after the probe has flushed its
// partial trace) rather than States.Timeout with an invocation still running behind it.
const TIMEOUT_MARGIN_SECONDS = 5;
export const probeTimeoutSeconds = DEFAULT_PROBE_TIMEOUT_SECONDS - TIMEOUT_MARGIN_SECONDS;
const reportTimeoutSeconds = DEFAULT_REPORT_TIMEOUT_SECONDS - TIMEOUT_MARGIN_SECONDS;

/** The app's own region, where the bucket and the trigger live (the sst CLI sets this variable). */
export const homeRegion = required(process.env.SST_AWS_REGION, "SST_AWS_REGION (set by the sst CLI)");

/**
 * Where Autodiscover is probed from: DISCOTRACE_REGIONS=eu-west-1,us-east-1 (the first is the
 * trigger's default), else the home region only. Another vantage point can see a different
 * Exchange Online endpoint, or a firewall that only blocks some of the world.
 */
export const regions = parseRegions(process.env.DISCOTRACE_REGIONS) ?? [homeRegion];

export interface RegionalProbes {
  region: string;
  /** "" in the home region, else the region in PascalCase: component names must be unique. */
  suffix: string;
  /** Only outside the home region; the home region uses the app's default provider. */
  provider?: aws.Provider;
  onPremProbe: sst.aws.Function;
  cloudProbe: sst.aws.Function;
  report: sst.aws.Function;
}

export const probes: RegionalProbes[] = regions.map((region) => {
  const suffix = region === homeRegion ? "" : pascal(region);
  const provider = region === homeRegion ? undefined : new aws.Provider(`Aws${suffix}`, { region });
  const opts = provider ? { provider } : undefined;
  // Note: a probe outside the home region writes to the home-region bucket across regions.
  const common = {
    runtime: "nodejs24.x" as const,
    architecture: "arm64" as const,
    memory: "512 MB" as const,
    link: [traceBucket],
  };
  const probeTimeout = `${probeTimeoutSeconds} seconds` as const;
  return {
    region,
    suffix,
    provider,
    onPremProbe: new sst.aws.Function(`OnPremProbe${suffix}`, { ...common, handler: "functions/src/on-prem-probe.handler", timeout: probeTimeout }, opts),
    cloudProbe: new sst.aws.Function(`CloudProbe${suffix}`, { ...common, handler: "functions/src/cloud-probe.handler", timeout: probeTimeout }, opts),
    report: new sst.aws.Function(`Report${suffix}`, { ...common, handler: "functions/src/report-handler.handler", timeout: `${reportTimeoutSeconds} seconds` }, opts),
  };
});

function parseRegions(value: string | undefined): string[] | undefined {
  const list = (value ?? "").split(",").map((region) => region.trim()).filter((region) => region !== "");
  for (const region of list) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new Error(`DISCOTRACE_REGIONS: "${region}" is not an AWS region name like eu-west-1`);
  }
  return list.length > 0 ? [...new Set(list)] : undefined;
}

/** eu-west-1 → EuWest1 */
function pascal(region: string): string {
  return region.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`${what} is not set`);
  return value;
}

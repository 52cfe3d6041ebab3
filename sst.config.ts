/// <reference path="./.sst/platform/config.d.ts" />

// Thin on purpose (style.md item 11): the app's identity here, each concern in its own infra/ file.
export default $config({
  app(input) {
    return {
      name: "discotrace",
      home: "aws",
      // Production keeps its bucket of traces through a teardown, and cannot be removed by accident.
      removal: input.stage === "production" ? "retain" : "remove",
      protect: input.stage === "production",
    };
  },
  async run() {
    // Dynamic imports: the $-globals and providers only exist once run() has started.
    const storage = await import("./infra/storage.ts");
    const probes = await import("./infra/probes.ts");
    const workflow = await import("./infra/workflow.ts");
    const trigger = await import("./infra/trigger.ts");
    const site = await import("./infra/site.ts");
    return {
      bucket: storage.traceBucket.name,
      regions: probes.regions.join(","),
      stateMachines: workflow.stateMachineArns,
      trigger: trigger.trigger.url,
      site: site.site.url,
    };
  },
});

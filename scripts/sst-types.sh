#!/bin/sh
# Prepares .sst/platform (gitignored) so `tsc -p tsconfig.infra.json` can type-check sst.config.ts
# and infra/*.ts against SST's real component API without the sst CLI.
#
# Why: every sst command first downloads Pulumi from the internet, and the sst npm package ships no
# component types; the CLI normally writes .sst/platform itself. Here the platform sources are
# extracted from the sst binary instead (toolchain.md, "SST offline"), then their npm dependencies
# are installed from the npm registry. Where the sst CLI does work, `sst install` writes the same
# directory and this script is not needed.
#
# The extractor is a verification aid that lives outside the repository (the project must not
# depend on it): point SST_PLATFORM_EXTRACTOR at it. Without it the script stops with a message.
#
# Idempotent: a stamp records the sst version, so a second run only rewrites the two .d.ts files.
# Measured here: about 40 s and 260 MB from scratch, a fraction of a second afterwards.
set -eu
cd "$(dirname "$0")/.."

EXTRACTOR="${SST_PLATFORM_EXTRACTOR:-../shared/tools/sst-platform-extract.py}"
SST_BIN="node_modules/sst-linux-x64/bin/sst"
PLATFORM=".sst/platform"
SST_VERSION="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/sst/package.json | head -1)"
STAMP="$PLATFORM/.discotrace-stamp"

if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "sst $SST_VERSION" ]; then
  [ -x "$SST_BIN" ] || { echo "sst-types: $SST_BIN not found (run npm install; linux x64 only)" >&2; exit 1; }
  [ -f "$EXTRACTOR" ] || { echo "sst-types: extractor not found at $EXTRACTOR (set SST_PLATFORM_EXTRACTOR, or run 'sst install' where the sst CLI works)" >&2; exit 1; }
  rm -rf "$PLATFORM"
  python3 "$EXTRACTOR" "$SST_BIN" "$PLATFORM"
  # The component sources import "archiver" and "bun" types, which the platform lists as
  # devDependencies; move them to dependencies so --omit=dev keeps them (toolchain.md).
  (cd "$PLATFORM" && ../../node_modules/.bin/node -e '
    const fs = require("node:fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    for (const name of ["@types/archiver", "@types/bun"]) {
      pkg.dependencies[name] = pkg.devDependencies[name];
      delete pkg.devDependencies[name]; // npm would still count it as dev
    }
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
  ')
  # --ignore-scripts: the @pulumi packages would otherwise try to download provider plugins.
  (cd "$PLATFORM" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "sst $SST_VERSION" > "$STAMP"
fi

# What the CLI writes next to the sources: the $config signature and the `aws` global (the
# @pulumi/aws namespace), reconstructed from the strings the sst binary embeds.
cat > "$PLATFORM/config.d.ts" <<'EOF'
import "./src/global.d.ts";
import "../types.generated";
import { AppInput, App, Config } from "./src/config";
import * as _aws from "@pulumi/aws";

declare global {
  // @ts-expect-error
  export import aws = _aws;
  interface Providers {
    providers?: {
      aws?: (_aws.ProviderArgs & { version?: string }) | boolean | string;
    };
  }
  export const $config: (
    input: Omit<Config, "app"> & {
      app(input: AppInput): Promise<Omit<App, "providers"> & Providers> | (Omit<App, "providers"> & Providers);
    },
  ) => Config;
}
EOF

# The CLI lists linked resources here for the `sst` runtime SDK; the infra check needs none.
cat > ".sst/types.generated.ts" <<'EOF'
export {};
EOF

echo "sst-types: $PLATFORM ready (sst $SST_VERSION)"

#!/usr/bin/env node
// The `tee-attestation-service` command: the compiled service, built first in a fresh checkout (see
// the SDK's launcher).
import { launch } from "@tee-marketplace/sdk/launcher";

await launch({
  command: "tee-attestation-service",
  name: "the attestation service",
  packageUrl: new URL("..", import.meta.url),
});

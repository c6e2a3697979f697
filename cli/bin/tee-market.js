#!/usr/bin/env node
// The `tee-market` command: the compiled CLI, built first in a fresh checkout (see the SDK's launcher).
import { launch } from "@tee-marketplace/sdk/launcher";

await launch({
  command: "tee-market",
  name: "the CLI",
  packageUrl: new URL("..", import.meta.url),
});

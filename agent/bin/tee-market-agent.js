#!/usr/bin/env node
// The `tee-market-agent` command: the compiled agent, built first in a fresh checkout (see the SDK's
// launcher).
import { launch } from "@tee-marketplace/sdk/launcher";

await launch({
  command: "tee-market-agent",
  name: "the agent",
  packageUrl: new URL("..", import.meta.url),
});

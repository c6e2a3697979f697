// Loaded with `node --import`: registers a module hook that writes `LOADED <url>` to stderr for
// every module of viem, the noble libraries, the keystore decoder or the SDK's build that loads.
import { register } from "node:module";

register(new URL("./recordHeavyModulesHook.mjs", import.meta.url));

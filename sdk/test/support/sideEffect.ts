/** A module with code that runs at load: the sideEffects check must notice it. */
(globalThis as { loaded?: boolean }).loaded = true;

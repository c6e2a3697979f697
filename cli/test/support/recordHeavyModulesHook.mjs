// The hook of ./recordHeavyModules.mjs.
const HEAVY = /node_modules\/(viem|@noble|@ethereumjs)\/|\/sdk\/dist\//;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (HEAVY.test(resolved.url)) process.stderr.write(`LOADED ${resolved.url}\n`);
  return resolved;
}

/**
 * Finding the command of an invocation (`tee-market [global options] <group> <command> ...`) and
 * the program's `--help`.
 */
import { type Command, GLOBAL_OPTIONS, type Group, commandNames, groupHelp } from "./command.js";
import { UsageError } from "./output.js";

function topHelp(groups: readonly Group[]): string {
  const rows = groups.flatMap((g) => g.commands.map((c) => [`${g.name} ${commandNames(c)}`, c.summary]));
  const width = Math.max(...rows.map(([left]) => (left ?? "").length));
  return [
    "Usage: tee-market <group> <command> [options]",
    "",
    "The command line of the tee-marketplace contracts: Super Protocol's flows (providers, offers, TCBs,",
    "workflows, orders, their reports and results, encrypted files in storage) on opBNB.",
    "",
    "Commands:",
    ...rows.map(([left, right]) => `  ${(left ?? "").padEnd(width)}  ${right}`),
    "",
    "Network: --network opbnbTestnet|opbnb|localhost, --rpc-url <url>, --deployment <file>, or a config",
    'file (./tee-market.json, or --config <file>): { "network", "rpcUrl", "deployment", "keystore",',
    '"resultKey", "storage", "indexer" }. Flags win over the file; the deployment defaults to deployments/<network>.json.',
    'Storage (files): "storage": { "type": "FS"|"S3", ... } or --storage, else FS in tee-market-storage/.',
    'Indexer: --indexer <url> (or "indexer" in the file): list and search commands read the index, not the chain.',
    "Keys: the TEE_MARKET_PRIVATE_KEY environment variable, or --keystore <file> (Ethereum v3 keystore,",
    "password from TEE_MARKET_KEYSTORE_PASSWORD or a prompt). Never on the command line.",
    "Output: text, or one JSON document on stdout with --json; progress and errors go to stderr.",
    "Exit codes: 0 done, 1 the operation failed, 2 usage or configuration error.",
    "",
    "Run tee-market <group> --help or tee-market <group> <command> --help for details.",
  ].join("\n");
}

/** The group and command names (the first two arguments that are not global options). */
function locate(argv: readonly string[]): { names: string[]; rest: string[] } {
  const names: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    if (names.length < 2 && !arg.startsWith("-")) {
      names.push(arg);
      continue;
    }
    rest.push(arg);
    const option = GLOBAL_OPTIONS[arg.replace(/^--/, "")];
    if (names.length < 2 && option?.type === "string" && i + 1 < argv.length) rest.push(argv[(i += 1)] ?? "");
  }
  return { names, rest };
}

/**
 * The command an invocation names and the arguments left for it, or the help text it asks for.
 *
 * @throws {UsageError} when no command, or an unknown one, is named.
 */
export function findCommand(
  groups: readonly Group[],
  argv: readonly string[],
): { group: Group; command: Command; rest: string[] } | string {
  const { names, rest } = locate(argv);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  const [groupName, commandName] = names;
  if (groupName === undefined || groupName === "help") {
    if (groupName === "help" && commandName !== undefined)
      return findCommand(groups, [...names.slice(1), ...rest, "--help"]);
    if (wantsHelp || groupName === "help") return topHelp(groups);
    throw new UsageError("name a command; run tee-market --help for the list");
  }
  const group = groups.find((g) => g.name === groupName);
  if (group === undefined) {
    throw new UsageError(
      `unknown command "${groupName}"; the groups are ${groups.map((g) => g.name).join(", ")} (tee-market --help)`,
    );
  }
  if (commandName === undefined) {
    if (wantsHelp) return groupHelp(group);
    throw new UsageError(
      `name a command of ${group.name}: ${group.commands.map((c) => c.name).join(", ")} (tee-market ${group.name} --help)`,
    );
  }
  const command = group.commands.find((c) => c.name === commandName || c.aliases?.includes(commandName));
  if (command === undefined) {
    throw new UsageError(
      `unknown command "${group.name} ${commandName}"; ${group.name} has ${group.commands.map((c) => c.name).join(", ")}`,
    );
  }
  return { group, command, rest };
}

import type { QuoteSource } from "./quoteSource.js";
/**
 * Whether configfs-tsm's report directory is there.
 *
 * @param reportDirectory Normally `/sys/kernel/config/tsm/report`.
 * @example
 * if (await configfsTsmPresent(CONFIGFS_TSM_REPORT)) console.log("a TDX or SEV-SNP guest");
 * @throws nothing.
 */
export declare function configfsTsmPresent(reportDirectory: string): Promise<boolean>;
/**
 * The configfs-tsm quote source for a report directory.
 *
 * @param reportDirectory Normally `/sys/kernel/config/tsm/report`.
 * @example
 * const source = configfsTsmQuotes(CONFIGFS_TSM_REPORT);
 * const quote = await source.quote(reportData64);
 * @throws nothing here; `quote` throws {@link StateError} when the entry cannot be made, written or
 * read, the provider is not `tdx_guest`, or the generation kept changing.
 */
export declare function configfsTsmQuotes(reportDirectory: string): QuoteSource;

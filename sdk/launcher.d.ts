/** What {@link launch} runs. */
export interface LaunchedProgram {
  /** The bin's name, for messages. */
  command: string;
  /** What the program is, for messages ("the CLI"). */
  name: string;
  /** The program's package directory. */
  packageUrl: URL;
}

/**
 * Runs a workspace program's `dist/main.js`, compiling first the SDK and the program when their
 * dist/ is missing (a source checkout right after `npm ci`).
 */
export declare function launch(program: LaunchedProgram): Promise<void>;

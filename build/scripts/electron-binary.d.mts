/** Types of electron-binary.mjs (plain JS: npm's postinstall runs it before anything is compiled). */

/** The npm script that fetches Electron's binary later. */
export declare const DESKTOP_INSTALL: string;
/** The folder of the installed `electron` package seen from `root`, or undefined. */
export declare function electronPackageDir(root: string): string | undefined;
/** The Electron executable inside the package folder, or undefined when the binary is not there. */
export declare function electronBinaryIn(dir: string): string | undefined;
/** The Electron executable of the project at `root`, or undefined. */
export declare function electronBinary(root: string): string | undefined;
/** A short cause from what electron's install.js printed when it failed. */
export declare function downloadFailureCause(output: string): string;
/** What fetching the binary came to. */
export type FetchOutcome = { ok: true } | { ok: false; cause: string };
/** Runs electron's install.js, bounded by `timeoutMs` when given; never rejects. */
export declare function fetchElectronBinary(options: { dir: string; timeoutMs?: number; echo?: boolean; env?: NodeJS.ProcessEnv }): Promise<FetchOutcome>;

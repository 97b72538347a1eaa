/** Types of fuses.mjs (plain JS so electron-builder can load the after-pack hook without a TypeScript loader). */
import type { FuseV1Config } from '@electron/fuses';

/** The fuse settings of every packaged build. */
export declare const FUSES: FuseV1Config;
/** The file whose fuse wire is flipped in a packaged app folder. */
export declare function electronBinaryPath(target: { platform: string; appOutDir: string; productFilename: string; executableName: string }): string;

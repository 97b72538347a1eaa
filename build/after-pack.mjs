// @ts-check
/**
 * electron-builder `afterPack` hook: flips the Electron fuses (fuses.mjs) in the packaged
 * binary. It runs before signing, so the signature covers the flipped binary.
 */
import { flipFuses } from '@electron/fuses';
import { FUSES, electronBinaryPath } from './fuses.mjs';

/** electron-builder's Arch.arm64. */
const ARM64 = 3;

/** @param {import('electron-builder').AfterPackContext} context */
export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const binary = electronBinaryPath({
    platform,
    appOutDir: context.appOutDir,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  });
  // Flipping invalidates an arm64 Mac binary's ad-hoc signature, which must then be renewed.
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: platform === 'darwin' && context.arch === ARM64 });
  console.log(`  • fuses flipped in ${binary}`);
}

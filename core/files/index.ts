/** Files on disk: atomic saves, backups of unsaved work, and a folder sandbox. Shared by `topolab serve` and the desktop shell. */
export { STALE_TEMP_MS, isTempFileName, removeStaleTempFiles, tempPathFor, writeFileAtomic, type AtomicWriteFs, type AtomicWriteOptions } from './atomic.js';
export { BACKUP_KEY_PATTERN, BackupStore, backupFileName, type Backup, type BackupInfo } from './backups.js';
export { FolderSandbox, MAX_NAME_LENGTH, SandboxError, checkRelativeName, isInside } from './sandbox.js';
export { listDesigns, DESIGN_SUFFIX, type DesignFile } from './designs.js';

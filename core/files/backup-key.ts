/**
 * Backup keys are chosen by clients (a file name, `untitled-3`): bounded, printable, and
 * never used as a path (the store encodes them). Pure, so the API contract checks keys
 * with the same rule the store enforces.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const BACKUP_KEY_PATTERN = /^[^\u0000-\u001f\u007f]{1,256}$/;

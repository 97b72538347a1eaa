import { describe, expect, it } from 'vitest';
import { downloadFailureCause } from '../../../build/scripts/electron-binary.mjs';

/** What electron's install.js printed (its error's stack) in each failure, as seen on real machines. */
const CASES: [string, string, string][] = [
  [
    'no DNS (this build machine)',
    'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (/p/node_modules/got/dist/source/core/index.js:970:111)\n    at Object.onceWrapper (node:events:639:26)',
    'github.com cannot be resolved, getaddrinfo ENOTFOUND',
  ],
  ['DNS timing out', 'RequestError: getaddrinfo EAI_AGAIN objects.githubusercontent.com\n    at ...', 'objects.githubusercontent.com cannot be resolved, getaddrinfo EAI_AGAIN'],
  ['a firewall refusing', 'RequestError: connect ECONNREFUSED 140.82.121.3:443\n    at TCPConnectWrap.afterConnect', 'the connection to 140.82.121.3:443 failed, ECONNREFUSED'],
  ['a dropped connection', 'RequestError: read ECONNRESET\n    at TLSWrap.onStreamRead', 'the connection was reset during the download'],
  ['a mirror without the file', 'HTTPError: Response code 404 (Not Found)\n    at Request.<anonymous>', 'the download server answered 404 Not Found'],
  ['a corrupted download', 'Error: Generated checksum for "electron-v39.8.10-linux-x64.zip" did not match expected checksum.', 'the downloaded file failed its checksum'],
  ['anything else', '\n  Error: EACCES: permission denied, mkdir \'/nope\'\n    at ...', "Error: EACCES: permission denied, mkdir '/nope'"],
  ['nothing at all', '', 'electron/install.js failed without saying why'],
];

describe('downloadFailureCause', () => {
  it.each(CASES)('%s', (_name, output, cause) => {
    expect(downloadFailureCause(output)).toBe(cause);
  });

  it('keeps an unknown first line short', () => {
    expect(downloadFailureCause(`Error: ${'x'.repeat(400)}`)).toHaveLength(160);
  });
});

import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKernelSupport } from '../../../core/runtime/kernel/support.js';
import { tempDirPerTest } from '../../support/temp.js';

describe('where the kernel lab cannot run, one line says why and what to do', () => {
  const temp = tempDirPerTest('topolab-support-');

  it.each([
    ['darwin', /needs Linux network namespaces; this is macOS: use the loopback lab/],
    ['win32', /this is Windows: use the loopback lab/],
  ] as const)('refuses %s', async (platform, reason) => {
    const result = await checkKernelSupport({ platform });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.reason).not.toContain('\n');
    }
  });

  it('refuses a kernel that forbids unprivileged user namespaces, naming the setting to change', async () => {
    const unshare = path.join(temp(), 'unshare');
    writeFileSync(unshare, '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n');
    chmodSync(unshare, 0o755);
    const result = await checkKernelSupport({ platform: 'linux', unshare });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/unprivileged user namespaces, which this kernel refuses \(unshare: unshare failed: Operation not permitted\): allow them \(sysctl kernel\.unprivileged_userns_clone=1/) });
  });
});

import { describe, expect, it } from 'vitest';
import { loopbackSources } from '../../../core/runtime/load/sources.js';

describe('loopbackSources', () => {
  it('gives distinct addresses outside 127.0.0.1 and refuses bad counts', () => {
    const list = loopbackSources(300);
    expect(new Set(list).size).toBe(300);
    expect(list[0]).toBe('127.1.0.1');
    expect(list[254]).toBe('127.1.1.1');
    expect(list.some((a) => a.endsWith('.0') || a.endsWith('.255'))).toBe(false);
    expect(() => loopbackSources(0)).toThrow(RangeError);
  });
});

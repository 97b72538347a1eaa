import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseCount, parseListenPort, parsePort } from '../../../core/cli/commands/shared.js';

describe('whole-number flag parsers', () => {
  it.each([
    ['80', 80],
    ['65535', 65535],
  ])('parsePort(%s) is %d', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each(['0', '65536', '-1', '8.5', 'eighty', '', ' 80'])('parsePort refuses %j with the range', (text) => {
    expect(() => parsePort(text)).toThrow(new InvalidArgumentError('a port is a whole number from 1 to 65535'));
  });

  it('parseListenPort accepts 0 (any free port) and refuses what is out of range', () => {
    expect(parseListenPort('0')).toBe(0);
    expect(parseListenPort('8080')).toBe(8080);
    expect(() => parseListenPort('70000')).toThrow(/from 0 to 65535/);
  });

  it('parseCount keeps to its bounds', () => {
    const concurrency = parseCount(1, 2000);
    expect(concurrency('2000')).toBe(2000);
    expect(() => concurrency('2001')).toThrow(new InvalidArgumentError('a whole number from 1 to 2000'));
    expect(() => concurrency('1e3')).toThrow(InvalidArgumentError);
  });
});

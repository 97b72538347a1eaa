import { describe, expect, it } from 'vitest';
import { BodyBudget, BodyQueueFullError } from '../../../core/api/transports/body.js';

const MiB = 1024 * 1024;

describe('BodyBudget: the memory large request bodies may take at once', () => {
  it('lets small bodies through at once, whatever is held', async () => {
    const budget = new BodyBudget(4 * MiB);
    await budget.acquire(4 * MiB);
    const small = await budget.acquire(1000);
    small();
    expect(budget.held).toBe(4 * MiB);
  });

  it('holds large bodies in FIFO order until earlier ones give their share back', async () => {
    const budget = new BodyBudget(4 * MiB);
    const order: string[] = [];
    const first = await budget.acquire(3 * MiB);
    const second = budget.acquire(2 * MiB).then((release) => (order.push('second'), release));
    // Fits, but a larger one waits ahead of it: no overtaking.
    const third = budget.acquire(1.5 * MiB).then((release) => (order.push('third'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    const releaseSecond = await second;
    const releaseThird = await third;
    expect(order).toEqual(['second', 'third']);
    expect(budget.held).toBe(3.5 * MiB);
    releaseSecond();
    releaseSecond();
    releaseThird();
    expect(budget.held).toBe(0);
  });

  it('counts a body of unknown length (chunked) as the whole budget, and never more', async () => {
    const budget = new BodyBudget(4 * MiB);
    const unknown = await budget.acquire(undefined);
    expect(budget.held).toBe(4 * MiB);
    unknown();
    const huge = await budget.acquire(100 * MiB);
    expect(budget.held).toBe(4 * MiB);
    huge();
  });

  it('refuses beyond the waiting limit, and drops a waiter whose client left', async () => {
    const budget = new BodyBudget(2 * MiB, 1 * MiB, 2);
    const holder = await budget.acquire(2 * MiB);
    const left = new AbortController();
    const leaving = budget.acquire(2 * MiB, left.signal);
    const staying = budget.acquire(2 * MiB);
    await expect(budget.acquire(2 * MiB)).rejects.toBeInstanceOf(BodyQueueFullError);
    left.abort();
    await expect(leaving).rejects.toThrow('went away');
    holder();
    const release = await staying;
    expect(budget.held).toBe(2 * MiB);
    release();
  });
});

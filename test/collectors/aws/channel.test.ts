import { describe, expect, it } from 'vitest';
import { Channel } from '../../../src/collectors/aws/channel.js';

describe('Channel', () => {
  it('delivers items in order and ends after close', async () => {
    const channel = new Channel<number>();
    void channel.push(1);
    void channel.push(2);
    channel.close();
    expect(await channel.next()).toEqual({ value: 1, done: false });
    expect(await channel.next()).toEqual({ value: 2, done: false });
    expect(await channel.next()).toEqual({ value: undefined, done: true });
  });

  it('hands an item straight to a waiting consumer', async () => {
    const channel = new Channel<string>(1);
    const next = channel.next();
    await channel.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
  });

  it('holds producers back while the buffer is full', async () => {
    const channel = new Channel<number>(2);
    const accepted: number[] = [];
    const pushes = [1, 2, 3, 4].map((n) => channel.push(n).then(() => accepted.push(n)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(accepted).toEqual([1, 2]);
    expect((await channel.next()).value).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(accepted).toEqual([1, 2, 3]);
    await channel.next();
    await channel.next();
    await Promise.all(pushes);
    expect(accepted).toEqual([1, 2, 3, 4]);
    expect((await channel.next()).value).toBe(4);
  });

  it('rejects the consumer after fail, even while it waits', async () => {
    const channel = new Channel<number>();
    const waiting = channel.next();
    channel.fail(new Error('listing failed'));
    await expect(waiting).rejects.toThrow('listing failed');
    await expect(channel.next()).rejects.toThrow('listing failed');
  });
});

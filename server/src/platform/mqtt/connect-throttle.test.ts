import { describe, expect, it } from 'vitest';
import { ConnectThrottle } from './connect-throttle.js';

describe('MQTT login back-off', () => {
  const options = { maxFailuresPerUsername: 3, maxFailuresPerAddress: 10, blockSeconds: 30 };

  it('after N failures of a username every attempt waits, whatever the password; a success resets', async () => {
    const throttle = new ConnectThrottle(options);
    for (let i = 0; i < 2; i++) await throttle.failed('agent-01', '10.0.0.5');
    expect(await throttle.refusedFor('agent-01', '10.0.0.5')).toBe(0);
    await throttle.failed('agent-01', '10.0.0.5');
    const wait = await throttle.refusedFor('agent-01', '10.0.0.5');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
    // the same username from elsewhere waits too; another username from here does not
    expect(await throttle.refusedFor('agent-01', '10.0.0.6')).toBeGreaterThan(0);
    expect(await throttle.refusedFor('agent-02', '10.0.0.5')).toBe(0);
    await throttle.succeeded('agent-01', '10.0.0.5');
    expect(await throttle.refusedFor('agent-01', '10.0.0.5')).toBe(0);
  });

  it('one address guessing many usernames is refused for all of them', async () => {
    const throttle = new ConnectThrottle(options);
    for (let i = 0; i < 10; i++) await throttle.failed(`guess-${i}`, '10.0.0.9');
    expect(await throttle.refusedFor('agent-01', '10.0.0.9')).toBeGreaterThan(0);
    expect(await throttle.refusedFor('agent-01', '10.0.0.1')).toBe(0);
  });

  it('each further block of the same key lasts twice as long', async () => {
    const throttle = new ConnectThrottle({ ...options, blockSeconds: 1 });
    const block = async () => {
      for (let i = 0; i < 3; i++) await throttle.failed('agent-01', `10.0.1.${i}`);
      return throttle.refusedFor('agent-01', '10.0.2.1');
    };
    expect(await block()).toBe(1);
    // failures while blocked do not stack another block
    await throttle.failed('agent-01', '10.0.1.9');
    expect(await throttle.refusedFor('agent-01', '10.0.2.1')).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await throttle.refusedFor('agent-01', '10.0.2.1')).toBe(0);
    expect(await block()).toBe(2);
  });
});

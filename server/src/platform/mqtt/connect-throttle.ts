import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface ConnectThrottleOptions {
  /** Failed CONNECTs a username may have; the next attempt is refused for a while. */
  maxFailuresPerUsername: number;
  /** Failed CONNECTs one source address may have (over every username) before it is refused. */
  maxFailuresPerAddress: number;
  /** The first refusal lasts this long; each further one in a day doubles it, up to an hour. */
  blockSeconds: number;
}

const MAX_BLOCK_SECONDS = 3600;
/** Failures are forgotten after this long without a new one. */
const FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Back-off on broker logins (embedded broker; in memory because that broker is single-instance):
 * after N failures for a username or a source address, every attempt from it is refused, even with
 * the right password, for a time that grows with each block; a successful login resets it.
 */
export class ConnectThrottle {
  private readonly failures: { username: RateLimiterMemory; address: RateLimiterMemory };
  /** How many times each key was blocked today: the exponent of its back-off. */
  private readonly blocks = new RateLimiterMemory({ points: 1_000_000, duration: 24 * 3600 });

  constructor(private readonly options: ConnectThrottleOptions) {
    this.failures = {
      username: new RateLimiterMemory({
        keyPrefix: 'user',
        points: options.maxFailuresPerUsername,
        duration: FAILURE_WINDOW_SECONDS,
      }),
      address: new RateLimiterMemory({
        keyPrefix: 'addr',
        points: options.maxFailuresPerAddress,
        duration: FAILURE_WINDOW_SECONDS,
      }),
    };
  }

  /** Seconds the attempt must still wait, or 0 when it may try its password. */
  async refusedFor(username: string, address: string): Promise<number> {
    const [byUser, byAddress] = await Promise.all([
      this.failures.username.get(username),
      this.failures.address.get(address),
    ]);
    const wait = (res: RateLimiterRes | null, points: number) =>
      res && res.consumedPoints > points ? Math.ceil(res.msBeforeNext / 1000) : 0;
    return Math.max(
      wait(byUser, this.options.maxFailuresPerUsername),
      wait(byAddress, this.options.maxFailuresPerAddress),
    );
  }

  async failed(username: string, address: string): Promise<void> {
    await Promise.all([
      this.count(this.failures.username, this.options.maxFailuresPerUsername, username),
      this.count(this.failures.address, this.options.maxFailuresPerAddress, address),
    ]);
  }

  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all([
      this.failures.username.delete(username),
      this.failures.address.delete(address),
      this.blocks.delete(`user:${username}`),
      this.blocks.delete(`addr:${address}`),
    ]);
  }

  private async count(limiter: RateLimiterMemory, points: number, key: string): Promise<void> {
    const res = await limiter.penalty(key);
    // Block once, on reaching the limit; later failures (other addresses) do not stack blocks.
    if (res.consumedPoints !== points) return;
    const times = (await this.blocks.penalty(`${limiter.keyPrefix}:${key}`)).consumedPoints;
    await limiter.block(key, Math.min(this.options.blockSeconds * 2 ** (times - 1), MAX_BLOCK_SECONDS));
  }
}

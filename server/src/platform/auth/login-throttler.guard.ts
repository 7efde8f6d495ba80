import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config.js';
import { AppError } from '../http/app-error.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The username a sign-in attempt names, as the key of its per-user limit (the body is not validated yet). */
const attemptedUsername = (req: Record<string, any>): string => {
  const name = req.body?.username;
  return `user:${typeof name === 'string' ? name.trim().toLowerCase().slice(0, 100) : ''}`;
};

/**
 * Sign-in limits per username and per source address, each in two steps so that going on after
 * a block blocks for longer (back-off): a minute's burst blocks briefly, an hour's worth blocks long.
 * The per-address limit leaves room for a shift signing in behind one NAT.
 */
export function loginThrottlers(config: Pick<AppConfig, 'LOGIN_LIMIT_PER_USER' | 'LOGIN_LIMIT_PER_ADDRESS'>) {
  const perUser = config.LOGIN_LIMIT_PER_USER;
  const perAddress = config.LOGIN_LIMIT_PER_ADDRESS;
  const throttlers: ThrottlerOptions[] = [
    { name: 'login-user', ttl: MINUTE, limit: perUser, blockDuration: MINUTE, getTracker: attemptedUsername },
    {
      name: 'login-user-hour',
      ttl: HOUR,
      limit: perUser * 4,
      blockDuration: 15 * MINUTE,
      getTracker: attemptedUsername,
    },
    { name: 'login-address', ttl: MINUTE, limit: perAddress, blockDuration: 5 * MINUTE },
    { name: 'login-address-hour', ttl: HOUR, limit: perAddress * 5, blockDuration: HOUR },
  ];
  return { throttlers, setHeaders: false };
}

/** Applied to the sign-in route only; the answer is a 429 that says when to try again, with Retry-After. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    response.setHeader('Retry-After', String(seconds));
    const until = new Date(Date.now() + seconds * 1000).toISOString().slice(11, 19);
    const who = detail.tracker.startsWith('user:') ? 'for this username' : 'from this address';
    throw new AppError(
      'TOO_MANY_ATTEMPTS',
      `Too many sign-in attempts ${who}: try again in ${seconds} s (after ${until} UTC). If the password is lost, ask an administrator.`,
      { retryAfterSeconds: seconds },
    );
  }
}

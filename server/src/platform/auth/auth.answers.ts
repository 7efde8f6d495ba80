import { z } from 'zod';
import { isoTime } from '../http/answer-fields.js';
import { authenticatedUser, ROLES } from './roles.js';

/** What the sign-in and user routes answer, for the OpenAPI document; the fuzzer checks real answers. */

export const signedIn = z.object({
  accessToken: z.string().describe('Send it as `Authorization: Bearer <accessToken>`'),
  expiresAt: isoTime.describe('When the access token stops working (ISO time): renew it before then'),
  expiresIn: z.number().int().describe('Seconds until then').meta({ example: 900 }),
  refreshToken: z.string().describe('Single use: POST /api/auth/refresh {refreshToken} renews both tokens'),
  refreshExpiresAt: isoTime.describe('When the session ends and a new sign-in is needed (ISO time)'),
  user: authenticatedUser.describe('Who signed in, with the roles that decide what the token may do'),
});
export type SignedIn = z.infer<typeof signedIn>;

export const signedOut = z.object({ signedOut: z.literal(true) });

export const usersListed = z.object({
  items: z
    .array(
      z.object({
        username: z.string(),
        displayName: z.string(),
        roles: z.array(z.enum(ROLES)),
        sellerCode: z.string().nullable(),
        active: z.boolean().describe('false: disabled, cannot sign in'),
      }),
    )
    .describe('Every user, by username'),
});

export const userActiveChanged = z.object({
  username: z.string(),
  active: z.boolean(),
  sessionsEnded: z.number().int().describe('Sessions (and their live sockets) ended by disabling'),
});

import { z } from 'zod';

/** Roles of DOMAIN.md section 1. A user may hold several. */
export const ROLES = ['staff', 'supervisor', 'customs', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a token belongs to: `GET /api/auth/me` answers it, and a sign-in names it. */
export const authenticatedUser = z.object({
  id: z.uuid(),
  username: z.string().meta({ example: 'supervisor' }),
  displayName: z.string().meta({ example: 'Shift supervisor' }),
  roles: z.array(z.enum(ROLES)).describe('What the token may do'),
  sellerCode: z.string().nullable().describe('The seller a seller user acts for'),
});
export type AuthenticatedUser = z.infer<typeof authenticatedUser>;

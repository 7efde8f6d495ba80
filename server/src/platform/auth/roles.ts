import { z } from 'zod';

/**
 * Roles of DOMAIN.md section 1. A user may hold several. `seller_admin` is a seller's own
 * administrator (its users' and API keys' keeper), a tenant role like `seller`, never the centre's.
 */
export const ROLES = ['staff', 'supervisor', 'customs', 'seller', 'seller_admin', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The centre's roles: they see across tenants as each role allows. */
export const CENTRE_ROLES: readonly Role[] = ['staff', 'supervisor', 'customs', 'admin'];
/** A tenant's roles: they see their own seller's rows only, on the tenant-bound connection. */
export const SELLER_ROLES: readonly Role[] = ['seller', 'seller_admin'];

/** Who a token belongs to: `GET /api/auth/me` answers it, and a sign-in names it. */
export const authenticatedUser = z.object({
  id: z.uuid(),
  username: z.string().meta({ example: 'supervisor' }),
  displayName: z.string().meta({ example: 'Shift supervisor' }),
  roles: z.array(z.enum(ROLES)).describe('What the token may do'),
  sellerCode: z.string().nullable().describe('The seller a seller user acts for'),
});
export type AuthenticatedUser = z.infer<typeof authenticatedUser>;

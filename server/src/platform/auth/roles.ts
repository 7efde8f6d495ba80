/** Roles of DOMAIN.md section 1. A user may hold several. */
export const ROLES = ['staff', 'supervisor', 'customs', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthenticatedUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  sellerCode: string | null;
}

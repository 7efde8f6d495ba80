import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Seller API keys: `wmsk_<prefix>_<secret>`. The prefix (shown in lists, unique) finds the key;
 * the secret (256 random bits) is kept only as its SHA-256: a slow hash adds nothing to a secret
 * nobody can guess, and every API call would pay for it.
 */
export const API_KEY_PATTERN = /^wmsk_([a-z0-9]{8,16})_([A-Za-z0-9_-]{20,100})$/;

export type ApiKeyScope = 'read' | 'write';

export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `wmsk_${prefix}_${secret}`, prefix, secretHash: secretDigest(secret) };
}

export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The key's parts, or null when the text is no API key at all. */
export function parseApiKey(text: string): { prefix: string; secret: string } | null {
  const match = API_KEY_PATTERN.exec(text);
  return match ? { prefix: match[1], secret: match[2] } : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(secretDigest(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const derive = promisify(pbkdf2);
const KEY_LENGTH = 64;

export interface HashedSecret {
  readonly hash: string;
  readonly salt: string;
}

/**
 * Slow, salted hashing of tenant secrets and user passwords: PBKDF2-SHA512 with Kill Bill's iteration
 * setting (`org.killbill.security.shiroNbHashIterations`), Base64 encoded.
 */
export async function hashSecret(secret: string, iterations: number): Promise<HashedSecret> {
  const salt = randomBytes(16).toString('base64');
  return { hash: await hashWithSalt(secret, salt, iterations), salt };
}

/** Constant-time comparison of a candidate secret with a stored hash. */
export async function verifySecret(candidate: string, stored: HashedSecret, iterations: number): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = Buffer.from(await hashWithSalt(candidate, stored.salt, iterations), 'base64');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

async function hashWithSalt(secret: string, salt: string, iterations: number): Promise<string> {
  return (await derive(secret, Buffer.from(salt, 'base64'), iterations, KEY_LENGTH, 'sha512')).toString('base64');
}

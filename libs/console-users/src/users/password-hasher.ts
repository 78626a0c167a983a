import { Algorithm, hash, verify } from '@node-rs/argon2';

/** Port for hashing passwords; a host may replace it through the module options. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Injection token of the {@link PasswordHasher} port. */
export const CONSOLE_USERS_PASSWORD_HASHER = Symbol('console-users:password-hasher');

/** argon2id parameters; the defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1). */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The default hasher: argon2id in PHC string format. */
export class Argon2idPasswordHasher implements PasswordHasher {
  constructor(private readonly params: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, ...this.params });
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}

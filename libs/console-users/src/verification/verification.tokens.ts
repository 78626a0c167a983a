/** Injection token of the {@link SecretHasher}. */
export const VERIFICATION_SECRET_HASHER = Symbol('console-users:secret-hasher');

/** Injection token of the outbox {@link PayloadCipher}. */
export const OUTBOX_PAYLOAD_CIPHER = Symbol('console-users:outbox-cipher');

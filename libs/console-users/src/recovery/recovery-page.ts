/** Messages a recovery page can show instead of a form; each has a title and a text per locale. */
export type RecoveryMessageKey =
  | 'linkInvalid'
  | 'linkUsed'
  | 'linkExpired'
  | 'linkRevoked'
  | 'formExpired'
  | 'rateLimited'
  | 'crossSite'
  | 'badRequest'
  | 'error';

/** Problems with a submitted password, shown on the form. */
export type PasswordProblem = 'passwordLength' | 'passwordMismatch';

/** What a recovery page shows; the renderer turns it into HTML in the reader's language. */
export type RecoveryPage =
  | { kind: 'consent'; status: 200; username: string; expiresAt: Date; token: string }
  | { kind: 'password'; status: 200 | 400; username: string; token: string; problem?: PasswordProblem }
  | { kind: 'done'; status: 200; username: string }
  | { kind: 'message'; status: number; message: RecoveryMessageKey; retryAfterSeconds?: number };

/** A message page. */
export function messagePage(status: number, message: RecoveryMessageKey, retryAfterSeconds?: number): RecoveryPage {
  return { kind: 'message', status, message, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}

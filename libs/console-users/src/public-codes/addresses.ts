import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { maskEmail, normalizeEmail } from '../email-verification/email-address';
import { VerificationChannel } from '../verification/verification-purpose';

/**
 * A phone number in E.164 from a country calling code (`86`, `+86`) and the number as typed;
 * null when it is not a valid number for that code. Uses the full metadata, so a number of the
 * right length but an impossible range is refused too.
 */
export function normalizePhone(countryCode: string | number | null | undefined, raw: string): string | null {
  const calling = String(countryCode ?? '').trim().replace(/^\+/, '');
  if (!/^[1-9]\d{0,3}$/.test(calling) || raw.length > 32) {
    return null;
  }
  const phone = parsePhoneNumberFromString(raw.trim(), { defaultCallingCode: calling });
  if (!phone || phone.countryCallingCode !== calling || !phone.isValid()) {
    return null;
  }
  return phone.number;
}

/**
 * The normalized address for a channel (lower-cased email or E.164), or a 400 whose `reason`
 * names the field (`email` / `phone`) so faces can pick their own code.
 */
export function normalizeAddress(channel: VerificationChannel, account: string, countryCode?: string | number | null): string {
  if (channel === VerificationChannel.Email) {
    const email = normalizeEmail(account);
    if (!email) {
      throw new DomainError(ErrorCode.BadRequest, 'The email address is not valid.', { reason: 'email' });
    }
    return email;
  }
  if (countryCode === undefined || countryCode === null || String(countryCode).trim() === '') {
    throw new DomainError(ErrorCode.BadRequest, 'countryCode is required for phone numbers.', { reason: 'missing' });
  }
  const phone = normalizePhone(countryCode, account);
  if (!phone) {
    throw new DomainError(ErrorCode.BadRequest, 'The phone number is not valid.', { reason: 'phone' });
  }
  return phone;
}

/** `a***@example.com` or `+86*******8000`: for audit rows, never the whole address. */
export function maskAddress(channel: VerificationChannel, address: string): string {
  if (channel === VerificationChannel.Email) {
    return maskEmail(address);
  }
  return address.length > 7 ? `${address.slice(0, 3)}${'*'.repeat(address.length - 7)}${address.slice(-4)}` : '***';
}

import { isEmail, registerDecorator } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../users/password-policy';
import { hasRefusedTextCharacters } from '../../../users/user-text';

/** Halo's user name pattern (a DNS subdomain label), which the UI enforces and we enforce on the server. */
export const USERNAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Longest user name (a DNS label). */
export const USERNAME_MAX_LENGTH = 63;
/** Longest email address (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;
/** Longest display name, in characters (the column's size). */
export const DISPLAY_NAME_MAX_LENGTH = 255;
/** Longest phone number as typed (the column's size). */
export const PHONE_MAX_LENGTH = 64;
/** Longest bio, in characters; keeps a page of 1000 listed users reasonably small. */
export const BIO_MAX_LENGTH = 4096;
/** Longest avatar URL (the column's size). */
export const AVATAR_URL_MAX_LENGTH = 1024;
/** Most entries in a labels or annotations map. */
export const MAP_MAX_ENTRIES = 64;
/** Longest label/annotation key: a 253-character prefix, `/` and a 63-character name. */
export const MAP_KEY_MAX_LENGTH = 317;
/** Longest label/annotation value. */
export const MAP_VALUE_MAX_LENGTH = 4096;

/**
 * C0/C1 control characters plus the invisible format characters used for spoofing (zero-width,
 * bidirectional overrides and isolates, BOM).
 */
const CONTROL_CHARACTERS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/** True when the text holds a control or bidi/zero-width formatting character. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

function codePoints(text: string): number {
  return [...text].length;
}

/**
 * A property rule from one check that returns the problem (or undefined): the checks run in a
 * fixed order, so the message names the first thing wrong.
 */
function rule(name: string, check: (value: unknown, property: string) => string | undefined): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args) => check(args.value, args.property) ?? `${args.property} is invalid` },
      validator: { validate: (value: unknown, args) => check(value, args?.property ?? String(propertyName)) === undefined },
    });
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Options of the rules for required fields. */
export interface RequiredOptions {
  /** The detail when the value is missing or blank (Halo's own wording where it has one). */
  requiredMessage?: string;
}

/** `metadata.name` of a user: required, Halo's pattern, at most 63 characters. */
export function IsUsername(options: RequiredOptions = {}): PropertyDecorator {
  return rule('isUsername', (value, property) => {
    if (isBlank(value)) {
      return options.requiredMessage ?? `${property} is required`;
    }
    if (typeof value !== 'string') {
      return `${property} must be a string`;
    }
    if (value.length > USERNAME_MAX_LENGTH) {
      return `${property} must be at most ${USERNAME_MAX_LENGTH} characters`;
    }
    if (!USERNAME_PATTERN.test(value)) {
      return `${property} must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit`;
    }
    return undefined;
  });
}

/** An email address: required, at most 254 characters (a host-only domain such as `localhost` is allowed). */
export function IsUserEmail(options: RequiredOptions = {}): PropertyDecorator {
  return rule('isUserEmail', (value, property) => {
    if (isBlank(value)) {
      return options.requiredMessage ?? `${property} is required`;
    }
    if (typeof value !== 'string') {
      return `${property} must be a string`;
    }
    if (value.length > EMAIL_MAX_LENGTH) {
      return `${property} must be at most ${EMAIL_MAX_LENGTH} characters`;
    }
    if (!isEmail(value, { require_tld: false, allow_ip_domain: false })) {
      return `${property} must be an email address`;
    }
    return undefined;
  });
}

/**
 * A display name: a string of at most 255 characters under the core's text rule (no controls,
 * bidi overrides or non-characters; ZWJ, ZWNJ, LRM, RLM and combining marks are fine).
 */
export function IsDisplayName(): PropertyDecorator {
  return IsUserText(DISPLAY_NAME_MAX_LENGTH);
}

/**
 * Text people write (display names, bios, search keywords): at most `max` characters, refused only
 * for the characters of the core's text rule; stored exactly as sent.
 */
export function IsUserText(max: number, multiline = false): PropertyDecorator {
  return rule('isUserText', (value, property) => {
    if (typeof value !== 'string') {
      return `${property} must be a string`;
    }
    if (codePoints(value) > max) {
      return `${property} must be at most ${max} characters`;
    }
    if (hasRefusedTextCharacters(value, multiline)) {
      return `${property} must not contain control characters, bidirectional overrides or non-characters`;
    }
    return undefined;
  });
}

/**
 * A machine-ish text field (phone numbers) of at most `max` characters without control or
 * invisible formatting characters (newlines and tabs allowed when `multiline`).
 */
export function IsPlainText(max: number, multiline = false): PropertyDecorator {
  return rule('isPlainText', (value, property) => {
    if (typeof value !== 'string') {
      return `${property} must be a string`;
    }
    if (codePoints(value) > max) {
      return `${property} must be at most ${max} characters`;
    }
    if (hasControlCharacters(multiline ? value.replace(/[\t\n\r]/g, '') : value)) {
      return `${property} must not contain control characters`;
    }
    return undefined;
  });
}

/** A new password: required, 8–128 characters (code points), any Unicode, no composition rules. */
export function IsNewPassword(options: RequiredOptions = {}): PropertyDecorator {
  return rule('isNewPassword', (value, property) => {
    if (value === undefined || value === null) {
      return options.requiredMessage ?? `${property} is required`;
    }
    if (typeof value !== 'string') {
      return `${property} must be a string`;
    }
    const length = codePoints(value);
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      return `${property} must be between ${PASSWORD_MIN_LENGTH} and ${PASSWORD_MAX_LENGTH} characters`;
    }
    return undefined;
  });
}

/** An avatar reference: an absolute http(s) URL or a path on this server, at most 1024 characters. */
export function IsAvatarUrl(): PropertyDecorator {
  return rule('isAvatarUrl', (value, property) =>
    typeof value === 'string' && value.length <= AVATAR_URL_MAX_LENGTH && isAvatarReference(value)
      ? undefined
      : `${property} must be an http(s) URL or a path starting with '/', at most ${AVATAR_URL_MAX_LENGTH} characters`,
  );
}

function isAvatarReference(value: string): boolean {
  if (value === '') {
    return true;
  }
  if (hasControlCharacters(value) || /\s/.test(value)) {
    return false;
  }
  if (value.startsWith('/') && !value.startsWith('//')) {
    return true;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A string-to-string map (labels, annotations) of bounded size. */
export function IsStringMap(): PropertyDecorator {
  return rule('isStringMap', (value, property) => {
    const ok =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length <= MAP_MAX_ENTRIES &&
      Object.entries(value).every(
        ([key, v]) =>
          key !== '' &&
          key.length <= MAP_KEY_MAX_LENGTH &&
          !hasControlCharacters(key) &&
          typeof v === 'string' &&
          v.length <= MAP_VALUE_MAX_LENGTH,
      );
    return ok
      ? undefined
      : `${property} must be an object of at most ${MAP_MAX_ENTRIES} string values (keys up to ${MAP_KEY_MAX_LENGTH}, values up to ${MAP_VALUE_MAX_LENGTH} characters)`;
  });
}

/** A list of role names: at most 100 non-empty strings. */
export function IsRoleNames(options: RequiredOptions = {}): PropertyDecorator {
  return rule('isRoleNames', (value, property) => {
    if (value === undefined || value === null) {
      return options.requiredMessage ?? `${property} is required`;
    }
    if (!Array.isArray(value) || value.length > 100) {
      return `${property} must be an array of at most 100 role names`;
    }
    if (!value.every((r) => typeof r === 'string' && r.length <= 253 && !hasControlCharacters(r))) {
      return `${property} must contain role names (strings of at most 253 characters)`;
    }
    return undefined;
  });
}

import { VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';

/** Fresns' `useType` of `send-verify-code`: whose address may receive the code. */
export enum FresnsUseType {
  /** A new account: the address must not have one. */
  NewAccount = 1,
  /** An existing account: the address must have one. */
  ExistingAccount = 2,
  /** Fill in the blank: the logged-in account binds a first email/phone nobody has. */
  FillInBlank = 3,
  /** Identity check: the logged-in account's own address (`account` ignored). */
  Identity = 4,
  /** Send to the given address without existence checks. */
  Direct = 5,
}

/** Fresns' `templateId`: what the code is for. */
export enum FresnsTemplate {
  General = 1,
  Register = 2,
  Edit = 3,
  Change = 4,
  ResetPassword = 5,
  ResetWalletPassword = 6,
  Login = 7,
  DeleteAccount = 8,
}

/**
 * templateId → the purpose a code is bound to; a code only works where its purpose is checked
 * (register takes `register`, reset-password takes `reset-password`, verify-identity takes
 * `identity`). Codes that only prove the current address (general, change, wallet, delete
 * account) share `identity`; binding a new address (edit) gets the change purpose of its channel.
 */
export const FRESNS_TEMPLATE_PURPOSES = {
  [FresnsTemplate.General]: () => VerificationPurpose.Identity,
  [FresnsTemplate.Register]: () => VerificationPurpose.Register,
  [FresnsTemplate.Edit]: (channel) => (channel === VerificationChannel.Sms ? VerificationPurpose.ChangePhone : VerificationPurpose.ChangeEmail),
  [FresnsTemplate.Change]: () => VerificationPurpose.Identity,
  [FresnsTemplate.ResetPassword]: () => VerificationPurpose.ResetPassword,
  [FresnsTemplate.ResetWalletPassword]: () => VerificationPurpose.Identity,
  [FresnsTemplate.Login]: () => VerificationPurpose.Login,
  [FresnsTemplate.DeleteAccount]: () => VerificationPurpose.Identity,
} satisfies Record<FresnsTemplate, (channel: VerificationChannel) => VerificationPurpose>;

/** The purpose of a templateId (1–8) on a channel. */
export function purposeForTemplate(templateId: FresnsTemplate, channel: VerificationChannel): VerificationPurpose {
  return FRESNS_TEMPLATE_PURPOSES[templateId](channel);
}

/** Purposes whose codes go to addresses without an account; every other purpose needs one. */
const NEW_ADDRESS_PURPOSES: ReadonlySet<VerificationPurpose> = new Set([
  VerificationPurpose.Register,
  VerificationPurpose.ChangeEmail,
  VerificationPurpose.ChangePhone,
]);

/** What a useType demands before a code is sent. */
export interface FresnsSendRule {
  /** `new`: only unknown addresses get the code; `existing`: only an account's; `self`: the caller's own. */
  audience: 'new' | 'existing' | 'self';
  /** The caller must be logged in (31501 otherwise). */
  needsLogin: boolean;
  /** The caller's own address on the channel must still be empty (34401/34402 otherwise). */
  needsBlankAddress: boolean;
  /** Fresns reports existence here (34205/34206/34301) — only when the host switches it on. */
  reportsExistence: boolean;
}

/**
 * The contract's rules per useType. useType 5 ("no existence checks") still never mails an
 * account-bound code to an address without an account, nor a new-account code to a taken one:
 * it follows the purpose silently, without existence errors, as Fresns answers there.
 */
export function sendRule(useType: FresnsUseType, purpose: VerificationPurpose): FresnsSendRule {
  switch (useType) {
    case FresnsUseType.NewAccount:
      return { audience: 'new', needsLogin: false, needsBlankAddress: false, reportsExistence: true };
    case FresnsUseType.ExistingAccount:
      return { audience: 'existing', needsLogin: false, needsBlankAddress: false, reportsExistence: true };
    case FresnsUseType.FillInBlank:
      return { audience: 'new', needsLogin: true, needsBlankAddress: true, reportsExistence: true };
    case FresnsUseType.Identity:
      return { audience: 'self', needsLogin: true, needsBlankAddress: false, reportsExistence: false };
    case FresnsUseType.Direct:
      return { audience: NEW_ADDRESS_PURPOSES.has(purpose) ? 'new' : 'existing', needsLogin: false, needsBlankAddress: false, reportsExistence: false };
  }
}

/** The mail/SMS template of a purpose's code: `code-<purpose>` (`.subject/.text/.html/.sms`). */
export function codeTemplate(purpose: VerificationPurpose): string {
  return `code-${purpose}`;
}

/**
 * Decodes a password the way Fresns clients send it (base64 of the UTF-8 text). Anything that
 * is not strict base64 of valid UTF-8 yields null.
 */
export function decodeBase64Password(encoded: string): string | null {
  const compact = encoded.trim();
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return null;
  }
}

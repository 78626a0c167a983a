/** A rendered mail for exactly one recipient. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Template path (relative to the template dirs) rendered to the HTML part by the transport. */
  htmlTemplate: string;
  context: Record<string, unknown>;
  messageId: string;
  /** For the dev mailbox's log line: which template, never the content. */
  template: string;
}

/**
 * Port: delivers one mail or throws. Errors should carry nodemailer's `responseCode`/`code`
 * so the worker can tell permanent failures (5xx, bad envelope) from transient ones.
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close?(): Promise<void> | void;
}

/** Injection token of the {@link MailTransport} port. */
export const CONSOLE_USERS_MAIL_TRANSPORT = Symbol('console-users:mail-transport');

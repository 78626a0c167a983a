/** Port: sends one SMS to an E.164 number or throws (`status` on HTTP failures). */
export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

/** Injection token of the {@link SmsSender} port. */
export const CONSOLE_USERS_SMS_SENDER = Symbol('console-users:sms-sender');

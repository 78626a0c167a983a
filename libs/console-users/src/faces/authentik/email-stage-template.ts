/** authentik's stock recovery template: the name its clients send and expect back. */
export const AUTHENTIK_RECOVERY_TEMPLATE = 'email/password_reset.html';

/** Our mail template that stands in for it. */
const RECOVERY_LINK_TEMPLATE = 'recovery-link';

/** A template named by an authentik client → our mail template name (other names pass through). */
export function toMailTemplate(template: string): string;
export function toMailTemplate(template: string | undefined): string | undefined;
export function toMailTemplate(template: string | undefined): string | undefined {
  return template === AUTHENTIK_RECOVERY_TEMPLATE ? RECOVERY_LINK_TEMPLATE : template;
}

/** Our mail template name → the name authentik clients know for it. */
export function toAuthentikTemplate(template: string): string {
  return template === RECOVERY_LINK_TEMPLATE ? AUTHENTIK_RECOVERY_TEMPLATE : template;
}

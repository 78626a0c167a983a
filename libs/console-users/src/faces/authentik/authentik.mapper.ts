import { createHash } from 'node:crypto';
import type { EmailStageEntity } from '../../recovery/email-stage.entity';
import { RoleNames } from '../../rbac/rbac-labels';
import type { UserEntity } from '../../users/user.entity';
import type { AuthentikUser } from './dto/authentik-user.dto';
import type { AuthentikEmailStage } from './dto/email-stage.dto';
import { toAuthentikTemplate } from './email-stage-template';

/**
 * A user as authentik's `User`. We have no UUID or uid per user; both are derived from the
 * integer id so they stay stable. Roles are Halo role names (visible ones only).
 */
export function toAuthentikUser(user: UserEntity, visibleRoles: string[], allRoles: string[]): AuthentikUser {
  const digest = createHash('sha256').update(`console-users:user:${user.id}`).digest('hex');
  return {
    pk: user.id,
    username: user.name,
    name: user.displayName,
    is_active: !user.disabled,
    last_login: null,
    date_joined: user.createdAt.toISOString(),
    is_superuser: allRoles.includes(RoleNames.superRole),
    groups: [],
    groups_obj: [],
    roles: visibleRoles,
    roles_obj: visibleRoles.map((name) => ({ pk: name, name })),
    email: user.email ?? '',
    avatar: user.avatar ?? '',
    attributes: user.language ? { settings: { locale: user.language } } : {},
    uid: digest,
    path: 'users',
    type: 'internal',
    uuid: asUuid(digest),
    password_change_date: user.updatedAt.toISOString(),
    last_updated: user.updatedAt.toISOString(),
  };
}

/** A stage as authentik's `EmailStage`; the SMTP fields are absent (the server's transport is used). */
export function toAuthentikEmailStage(stage: EmailStageEntity, mailFrom: string): AuthentikEmailStage {
  return {
    pk: stage.id,
    name: stage.name,
    component: 'ak-stage-email-form',
    verbose_name: 'Email Stage',
    verbose_name_plural: 'Email Stages',
    meta_model_name: 'authentik_stages_email.emailstage',
    flow_set: [],
    use_global_settings: true,
    from_address: stage.fromAddress ?? mailFrom,
    token_expiry: stage.tokenExpiry,
    subject: stage.subject ?? '',
    template: toAuthentikTemplate(stage.template),
    activate_user_on_success: false,
    recovery_max_attempts: 5,
    recovery_cache_timeout: 'minutes=5',
  };
}

/** 32 hex digits laid out as a UUID (name-based, version 5 style). */
function asUuid(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

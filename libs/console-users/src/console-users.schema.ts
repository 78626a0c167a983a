import { UserEntity } from './users/user.entity';
import { RoleEntity } from './rbac/role.entity';
import { RoleBindingEntity } from './rbac/role-binding.entity';
import { SessionEntity } from './auth/session.entity';
import { PersonalAccessTokenEntity } from './auth/personal-access-token.entity';
import { RateLimitBucketEntity } from './throttling/rate-limit-bucket.entity';
import { VerificationCodeEntity } from './verification/verification-code.entity';
import { OutboxMessageEntity } from './notifications/outbox-message.entity';
import { InitialSchema1763791200000 } from './database/migrations/1763791200000-initial-schema';
import { VerificationAndOutbox1763791250000 } from './database/migrations/1763791250000-verification-and-outbox';
import { AuditEvents1763791260000 } from './database/migrations/1763791260000-audit-events';
import { UserListingIndexes1763791300000 } from './database/migrations/1763791300000-user-listing-indexes';
import { AuditEventEntity } from './audit/audit-event.entity';
import { EmailStageEntity } from './recovery/email-stage.entity';
import { EmailStages1763791500000 } from './database/migrations/1763791500000-email-stages';
import { UsersPhoneIndex1763791600000 } from './database/migrations/1763791600000-users-phone-index';
import { SessionRememberMe1763791700000 } from './database/migrations/1763791700000-session-remember-me';
import { EmailStageMailTemplates1763791800000 } from './database/migrations/1763791800000-email-stage-mail-templates';

/** Every entity of the library; a host adds these to its DataSource. */
export const CONSOLE_USERS_ENTITIES = [
  UserEntity,
  RoleEntity,
  RoleBindingEntity,
  SessionEntity,
  PersonalAccessTokenEntity,
  RateLimitBucketEntity,
  VerificationCodeEntity,
  OutboxMessageEntity,
  AuditEventEntity,
  EmailStageEntity,
];

/** The library's migrations, in order; a host adds these to its DataSource and runs them. */
export const CONSOLE_USERS_MIGRATIONS = [
  InitialSchema1763791200000,
  VerificationAndOutbox1763791250000,
  AuditEvents1763791260000,
  UserListingIndexes1763791300000,
  EmailStages1763791500000,
  UsersPhoneIndex1763791600000,
  SessionRememberMe1763791700000,
  EmailStageMailTemplates1763791800000,
];

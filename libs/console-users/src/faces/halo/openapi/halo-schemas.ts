import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LoginResponse } from '../../../auth/login.controller';
import type { HealthView } from '../../../health/health.controller';
import { OutboxStatus } from '../../../notifications/outbox-message.entity';
import type { PolicyRule } from '../../../rbac/role.entity';
import type { AuditEventView } from '../dto/audit-event.dto';
import type { DeliveryView } from '../dto/delivery.dto';
import type { DetailedUserView } from '../dto/detailed-user.dto';
import type { HaloPersonalAccessToken } from '../dto/halo-pat.dto';
import type { HaloMetadata, HaloRole } from '../dto/halo-role.dto';
import type { HaloUser, HaloUserSpec } from '../dto/halo-user.dto';
import type { HaloListResult } from '../halo-list-query';
import type { JsonPatchOperation } from '../json-patch';
import type { UserPermissionView } from '../role.mapper';

/*
 * Response schemas of the Halo face, for the OpenAPI document only (responses are built by the
 * mappers). Each class `implements` the type the mapper returns, so a field renamed there fails
 * to compile here instead of drifting silently.
 */

const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** Halo's `Metadata`. */
export class HaloMetadataSchema implements HaloMetadata {
  @ApiProperty({ example: 'jane', description: 'Unique name (for users: the login name)' })
  name!: string;

  @ApiPropertyOptional({ ...STRING_MAP, example: { 'halo.run/hidden': 'false' } })
  labels?: Record<string, string>;

  @ApiPropertyOptional({ ...STRING_MAP, example: { 'rbac.authorization.halo.run/role-names': '["editor"]' } })
  annotations?: Record<string, string>;

  @ApiPropertyOptional({ type: 'integer', example: 3, description: 'Optimistic lock: send it back on updates' })
  version?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' })
  creationTimestamp?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  deletionTimestamp?: string;

  @ApiPropertyOptional({ type: [String], example: ['user-protection'] })
  finalizers?: string[];
}

/** Halo's `UserSpec` (never the password hash or the TOTP secret). */
export class HaloUserSpecSchema implements HaloUserSpec {
  @ApiProperty({ example: 'Jane Doe' })
  displayName!: string;

  @ApiPropertyOptional({ example: '/avatars/jane-1a2b3c.png' })
  avatar?: string;

  @ApiPropertyOptional({ format: 'email', example: 'jane@example.com' })
  email?: string;

  @ApiProperty({ example: true })
  emailVerified!: boolean;

  @ApiPropertyOptional({ example: '+14155550123' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Editor of the travel section.' })
  bio?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' })
  registeredAt?: string;

  @ApiPropertyOptional({ example: false })
  twoFactorAuthEnabled?: boolean;

  @ApiPropertyOptional({ example: false })
  disabled?: boolean;

  @ApiPropertyOptional({ type: 'integer', example: 10 })
  loginHistoryLimit?: number;
}

/** `UserStatus`. */
export class HaloUserStatusSchema {
  @ApiPropertyOptional({ example: 'http://localhost:8090/authors/jane' })
  permalink?: string;
}

/** Halo's `User`. */
export class HaloUserSchema implements HaloUser {
  @ApiProperty({ enum: ['v1alpha1'], example: 'v1alpha1' })
  apiVersion!: 'v1alpha1';

  @ApiProperty({ enum: ['User'], example: 'User' })
  kind!: 'User';

  @ApiProperty({ type: HaloMetadataSchema })
  metadata!: HaloMetadataSchema;

  @ApiProperty({ type: HaloUserSpecSchema })
  spec!: HaloUserSpecSchema;

  @ApiProperty({ type: HaloUserStatusSchema })
  status!: HaloUserStatusSchema;
}

/** Halo's `PolicyRule`. */
export class PolicyRuleSchema implements PolicyRule {
  @ApiProperty({ type: [String], example: [''] })
  apiGroups!: string[];

  @ApiProperty({ type: [String], example: ['users'] })
  resources!: string[];

  @ApiProperty({ type: [String], example: [] })
  resourceNames!: string[];

  @ApiProperty({ type: [String], example: [] })
  nonResourceURLs!: string[];

  @ApiProperty({ type: [String], example: ['get', 'list'] })
  verbs!: string[];
}

/** A `PolicyRule` as CreateRole and UpdateRole take it: an absent field means none. */
export class PolicyRuleInputSchema implements Partial<PolicyRule> {
  @ApiPropertyOptional({ type: [String], example: [''] })
  apiGroups?: string[];

  @ApiPropertyOptional({ type: [String], example: ['users'] })
  resources?: string[];

  @ApiPropertyOptional({ type: [String], example: [] })
  resourceNames?: string[];

  @ApiPropertyOptional({ type: [String], example: [] })
  nonResourceURLs?: string[];

  @ApiPropertyOptional({ type: [String], example: ['get', 'list'] })
  verbs?: string[];
}

/** Halo's `Role`. */
export class HaloRoleSchema implements HaloRole {
  @ApiProperty({ enum: ['v1alpha1'], example: 'v1alpha1' })
  apiVersion!: 'v1alpha1';

  @ApiProperty({ enum: ['Role'], example: 'Role' })
  kind!: 'Role';

  @ApiProperty({ type: HaloMetadataSchema })
  metadata!: HaloMetadataSchema;

  @ApiProperty({ type: [PolicyRuleSchema] })
  rules!: PolicyRuleSchema[];
}

/** Halo's `DetailedUser` / `ListedUser`. */
export class DetailedUserSchema implements DetailedUserView {
  @ApiProperty({ type: HaloUserSchema })
  user!: HaloUserSchema;

  @ApiProperty({ type: [HaloRoleSchema] })
  roles!: HaloRoleSchema[];
}

/** Halo's `UserPermission`. */
export class UserPermissionSchema implements UserPermissionView {
  @ApiProperty({ type: [HaloRoleSchema] })
  roles!: HaloRoleSchema[];

  @ApiProperty({ type: [HaloRoleSchema], description: 'Every role the roles expand to (dependencies included)' })
  permissions!: HaloRoleSchema[];

  @ApiProperty({ type: [String], example: ['system:users:view', 'system:users:manage'] })
  uiPermissions!: string[];
}

/** The paging fields of Halo's `ListResult`. */
abstract class HaloListFields {
  @ApiProperty({ type: 'integer', example: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', example: 20 })
  size!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  total!: number;

  @ApiProperty({ example: true })
  first!: boolean;

  @ApiProperty({ example: true })
  last!: boolean;

  @ApiProperty({ example: false })
  hasNext!: boolean;

  @ApiProperty({ example: false })
  hasPrevious!: boolean;

  @ApiProperty({ type: 'integer', example: 1 })
  totalPages!: number;
}

/** `ListedUserList`: a page of ListUsers. */
export class ListedUserListSchema extends HaloListFields implements HaloListResult<DetailedUserView> {
  @ApiProperty({ type: [DetailedUserSchema] })
  items!: DetailedUserSchema[];
}

/** `UserList`: a page of the core ListUser. */
export class UserListSchema extends HaloListFields implements HaloListResult<HaloUser> {
  @ApiProperty({ type: [HaloUserSchema] })
  items!: HaloUserSchema[];
}

/**
 * One RFC 6902 operation (Halo's `JsonPatchInner`), as the core PatchUser reads it: `from` for
 * move and copy, `value` for add, replace and test.
 */
export class JsonPatchOperationSchema implements JsonPatchOperation {
  @ApiProperty({ enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'], example: 'replace' })
  op!: JsonPatchOperation['op'];

  @ApiProperty({ example: '/spec/displayName', description: 'JSON pointer into the user as GetUser shows it' })
  path!: string;

  @ApiPropertyOptional({ example: '/spec/bio', description: 'JSON pointer of the source (move, copy)' })
  from?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }],
    example: 'Jane Doe',
    description: 'Any JSON value (add, replace, test)',
  })
  value?: unknown;
}

/** `RoleList`: a page of ListRole. */
export class RoleListSchema extends HaloListFields implements HaloListResult<HaloRole> {
  @ApiProperty({ type: [HaloRoleSchema] })
  items!: HaloRoleSchema[];
}

/** `PatSpec`. */
export class PatSpecSchema {
  @ApiProperty({ example: 'deploy script' })
  name!: string;

  @ApiPropertyOptional({ example: 'CI job that lists users' })
  description?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00.000Z' })
  expiresAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  lastUsed?: string;

  @ApiProperty({ example: false })
  revoked!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  revokesAt?: string;

  @ApiProperty({ type: [String], example: ['role-template-view-users'] })
  roles!: string[];

  @ApiProperty({ type: [String], example: [] })
  scopes!: string[];

  @ApiProperty({ example: '6f1c2d0e-8a57-4f4e-9a1e-2f0f3c9b7d11' })
  tokenId!: string;

  @ApiProperty({ example: 'jane' })
  username!: string;
}

/** Halo's `PersonalAccessToken`; GeneratePat's answer carries the token once in `security.halo.run/access-token`. */
export class PersonalAccessTokenSchema implements HaloPersonalAccessToken {
  @ApiProperty({ enum: ['security.halo.run/v1alpha1'], example: 'security.halo.run/v1alpha1' })
  apiVersion!: 'security.halo.run/v1alpha1';

  @ApiProperty({ enum: ['PersonalAccessToken'], example: 'PersonalAccessToken' })
  kind!: 'PersonalAccessToken';

  @ApiProperty({ type: HaloMetadataSchema })
  metadata!: HaloMetadataSchema;

  @ApiProperty({ type: PatSpecSchema })
  spec!: PatSpecSchema;
}

/** Answer of CreateRecoveryLink. */
export class RecoveryLinkSchema {
  @ApiProperty({ example: 'http://localhost:8090/recovery?token=Zk3…', description: 'Single use; hand it to the user over a trusted channel' })
  link!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:30:00.000Z' })
  expiresAt!: string;
}

/** One outbox row (never its contents: they hold the code). */
export class DeliverySchema implements DeliveryView {
  @ApiProperty({ type: 'integer', example: 42 })
  id!: number;

  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  channel!: string;

  @ApiProperty({ example: 'jane@example.com' })
  recipient!: string;

  @ApiProperty({ example: 'email-verification' })
  template!: string;

  @ApiProperty({ example: 'en' })
  locale!: string;

  @ApiProperty({ enum: Object.values(OutboxStatus), example: OutboxStatus.Sent })
  status!: DeliveryView['status'];

  @ApiProperty({ type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ type: 'integer', example: 8 })
  maxAttempts!: number;

  @ApiPropertyOptional({ example: '421 4.7.0 Try again later' })
  lastError?: string;

  @ApiProperty({ example: '<3c1e…@localhost>' })
  messageId!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only while pending' })
  nextAttemptAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  sentAt?: string;
}

/** A page of deliveries. */
export class DeliveryListSchema extends HaloListFields implements HaloListResult<DeliveryView> {
  @ApiProperty({ type: [DeliverySchema] })
  items!: DeliverySchema[];
}

/** One audit event. */
export class AuditEventSchema implements AuditEventView {
  @ApiProperty({ type: 'integer', example: 7 })
  id!: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiPropertyOptional({ example: 'admin', description: 'Absent for anonymous and system actions' })
  actor?: string;

  @ApiProperty({ example: 'user.create' })
  action!: string;

  @ApiPropertyOptional({ example: 'jane' })
  target?: string;

  @ApiPropertyOptional({ example: '203.0.113.7' })
  ip?: string;

  @ApiProperty({ enum: ['success', 'failure', 'denied'], example: 'success' })
  outcome!: AuditEventView['outcome'];

  @ApiProperty({ ...STRING_MAP, example: {} })
  details!: AuditEventView['details'];
}

/** A page of audit events. */
export class AuditEventListSchema extends HaloListFields implements HaloListResult<AuditEventView> {
  @ApiProperty({ type: [AuditEventSchema] })
  items!: AuditEventSchema[];
}

/** Body of `POST /login` (JSON or form). */
export class LoginRequestSchema {
  @ApiProperty({ example: 'admin', description: 'User name or verified email address' })
  username!: string;

  @ApiProperty({ example: 'the-admin-password', format: 'password' })
  password!: string;

  @ApiPropertyOptional({ example: 'true', description: 'A long-lived session instead of a browser-session cookie (true, on, yes or 1)' })
  'remember-me'?: string;
}

/** A granted authority of the principal. */
export class AuthoritySchema {
  @ApiProperty({ example: 'ROLE_super-role' })
  authority!: string;
}

/** Answer of `POST /login` (Spring Security's principal, as Halo's console reads it). */
export class LoginResponseSchema implements LoginResponse {
  @ApiProperty({ example: 'admin' })
  username!: string;

  @ApiProperty({ type: [AuthoritySchema] })
  authorities!: AuthoritySchema[];

  @ApiProperty({ example: true })
  accountNonExpired!: boolean;

  @ApiProperty({ example: true })
  accountNonLocked!: boolean;

  @ApiProperty({ example: true })
  credentialsNonExpired!: boolean;

  @ApiProperty({ example: true })
  enabled!: boolean;
}

/** Answer of `GET /actuator/health`: the whole status and one entry per component (`db`, …). */
export class HealthSchema implements HealthView {
  @ApiProperty({ enum: ['UP', 'DOWN'], example: 'UP' })
  status!: 'UP' | 'DOWN';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['UP', 'DOWN'] } } },
    example: { db: { status: 'UP' } },
  })
  components!: HealthView['components'];
}

/** `GET /actuator/health/liveness`: only the process's own status. */
export class LivenessSchema {
  @ApiProperty({ enum: ['UP'], example: 'UP' })
  status!: 'UP';
}

/**
 * What the console-users server (Fastify, `return503OnClosing`) answers to any request that
 * arrives while it shuts down: its own JSON, not a problem or a health answer. A liveness probe
 * sees it between the stop signal and the exit.
 */
export class ServerClosingSchema {
  @ApiProperty({ example: 'Service Unavailable' })
  error!: string;

  @ApiProperty({ example: 'Service Unavailable' })
  message!: string;

  @ApiProperty({ type: 'integer', enum: [503], example: 503 })
  statusCode!: 503;
}

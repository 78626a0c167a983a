import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { faceErrorResponses } from '../../../openapi/face-error-responses';
import type { AuthentikPage, AuthentikPagination } from '../authentik-pagination';
import type { AuthentikRoleRef, AuthentikUser } from '../dto/authentik-user.dto';
import type { AuthentikEmailStage } from '../dto/email-stage.dto';

/*
 * Response and error schemas of the authentik face, for the OpenAPI document only, named as in
 * authentik's own schema (User, PaginatedUserList, EmailStage, Link, GenericError,
 * ValidationError). Each class `implements` the type the face returns, so drift fails to compile.
 */

/** authentik's `Pagination`. */
export class AuthentikPaginationSchema implements AuthentikPagination {
  @ApiProperty({ type: 'integer', example: 0 })
  next!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  previous!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  count!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  current!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  total_pages!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  start_index!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  end_index!: number;
}

/** A role embedded in a user (Halo role names here). */
export class AuthentikRoleRefSchema implements AuthentikRoleRef {
  @ApiProperty({ example: 'role-template-view-users' })
  pk!: string;

  @ApiProperty({ example: 'role-template-view-users' })
  name!: string;
}

/** authentik's `User`. */
export class AuthentikUserSchema implements AuthentikUser {
  @ApiProperty({ type: 'integer', example: 2 })
  pk!: number;

  @ApiProperty({ example: 'jane' })
  username!: string;

  @ApiProperty({ example: 'Jane Doe' })
  name!: string;

  @ApiProperty({ example: true })
  is_active!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-01-05T09:30:00.000Z' })
  last_login!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T08:00:00.000Z' })
  date_joined!: string;

  @ApiProperty({ example: false })
  is_superuser!: boolean;

  @ApiProperty({ type: [String], example: [] })
  groups!: string[];

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [] })
  groups_obj!: unknown[];

  @ApiProperty({ type: [String], example: ['role-template-view-users'] })
  roles!: string[];

  @ApiProperty({ type: [AuthentikRoleRefSchema] })
  roles_obj!: AuthentikRoleRefSchema[];

  @ApiProperty({ example: 'jane@example.com' })
  email!: string;

  @ApiProperty({ example: '' })
  avatar!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  attributes!: Record<string, unknown>;

  @ApiProperty({ example: 'jane' })
  uid!: string;

  @ApiProperty({ example: 'users' })
  path!: string;

  @ApiProperty({ enum: ['internal'], example: 'internal' })
  type!: 'internal';

  @ApiProperty({ format: 'uuid', example: '3f1f0d2c-6a4b-4c1e-9b7a-0e5d2c1b4a39' })
  uuid!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T08:00:00.000Z' })
  password_change_date!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00.000Z' })
  last_updated!: string;
}

/** authentik's `PaginatedUserList`. */
export class PaginatedAuthentikUserListSchema implements AuthentikPage<AuthentikUser> {
  @ApiProperty({ type: AuthentikPaginationSchema })
  pagination!: AuthentikPaginationSchema;

  @ApiProperty({ type: [AuthentikUserSchema] })
  results!: AuthentikUserSchema[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  autocomplete!: Record<string, unknown>;
}

/** authentik's `EmailStage`. */
export class AuthentikEmailStageSchema implements AuthentikEmailStage {
  @ApiProperty({ format: 'uuid', example: '0b6e6f9c-3c55-4d4f-8f53-6f0f2d9b8c11' })
  pk!: string;

  @ApiProperty({ example: 'default-recovery-email' })
  name!: string;

  @ApiProperty({ example: 'ak-stage-email-form' })
  component!: string;

  @ApiProperty({ example: 'Email Stage' })
  verbose_name!: string;

  @ApiProperty({ example: 'Email Stages' })
  verbose_name_plural!: string;

  @ApiProperty({ example: 'authentik_stages_email.emailstage' })
  meta_model_name!: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [] })
  flow_set!: unknown[];

  @ApiProperty({ example: true })
  use_global_settings!: boolean;

  @ApiProperty({ example: 'Console <no-reply@example.com>' })
  from_address!: string;

  @ApiProperty({ example: 'minutes=60' })
  token_expiry!: string;

  @ApiProperty({ example: 'Reset your password' })
  subject!: string;

  @ApiProperty({ example: 'email/password_reset.html' })
  template!: string;

  @ApiProperty({ example: false })
  activate_user_on_success!: boolean;

  @ApiProperty({ type: 'integer', example: 5 })
  recovery_max_attempts!: number;

  @ApiProperty({ example: 'minutes=5' })
  recovery_cache_timeout!: string;
}

/** authentik's `PaginatedEmailStageList`. */
export class PaginatedAuthentikEmailStageListSchema implements AuthentikPage<AuthentikEmailStage> {
  @ApiProperty({ type: AuthentikPaginationSchema })
  pagination!: AuthentikPaginationSchema;

  @ApiProperty({ type: [AuthentikEmailStageSchema] })
  results!: AuthentikEmailStageSchema[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  autocomplete!: Record<string, unknown>;
}

/** authentik's `Link`: the answer of core_users_recovery_create. */
export class AuthentikLinkSchema {
  @ApiProperty({ example: 'http://localhost:8090/recovery?token=Zk3…', description: 'Single use; older links of the user stop working' })
  link!: string;
}

/** authentik's `GenericError`. */
export class AuthentikGenericErrorSchema {
  @ApiProperty({ example: 'You do not have permission to perform this action.' })
  detail!: string;
}

/** authentik's `ValidationError`: field name → messages, or `non_field_errors`. */
export class AuthentikValidationErrorSchema {
  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'User does not have an email address set.',
  })
  non_field_errors?: string | string[];
}

/** Documents authentik-face error answers (`{detail}` / field errors): `@AuthentikErrors(400, 404)`. */
export const AuthentikErrors = faceErrorResponses({
  model: AuthentikGenericErrorSchema,
  mediaType: 'application/json',
  cases: {
    400: {
      description: 'Invalid input: `{field: [messages]}` or `{non_field_errors}`',
      model: AuthentikValidationErrorSchema,
      example: { token_duration: ['Ensure this field has no more than 100 characters.'] },
    },
    401: { description: 'No valid credentials', example: { detail: 'Authentication credentials were not provided.' } },
    403: { description: 'No permission', example: { detail: 'You do not have permission to perform this action.' } },
    404: { description: 'No such user or stage, or a page out of range', example: { detail: 'No User matches the given query.' } },
    413: { description: 'Body too large', example: { detail: 'Payload Too Large' } },
    429: { description: 'A limit is reached; `Retry-After` says when', example: { detail: 'API rate limit exceeded, please try again later.' } },
    503: { description: 'Database or mail unavailable', example: { detail: 'Service Unavailable' } },
  },
});

/** Query parameters of authentik's paginated lists. */
export function AuthentikPageQuery(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, example: 1 } }),
    ApiQuery({ name: 'page_size', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, example: 20 } }),
    ApiQuery({ name: 'search', required: false, schema: { type: 'string' } }),
  ) as MethodDecorator;
}

import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { BodyLimit } from '../../http/body-rules.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { RecoveryService } from '../../recovery/recovery.service';
import { AuthentikController } from './authentik-controller.decorator';
import { AuthentikPage, pageRequest } from './authentik-pagination';
import { AuthentikUsersService } from './authentik-users.service';
import type { AuthentikUser } from './dto/authentik-user.dto';
import { UserRecoveryEmailRequestDto, UserRecoveryLinkRequestDto } from './dto/user-recovery.dto';
import { parseDuration } from './token-duration';
import { AuthentikErrors, AuthentikLinkSchema, AuthentikPageQuery, AuthentikUserSchema, PaginatedAuthentikUserListSchema } from './openapi/authentik-schemas';

const users = { apiGroup: ApiGroups.console, resource: 'users' };
const SMALL_BODY = 16 * 1024;

/**
 * authentik's `/api/v3/core/users/` as far as admin recovery needs it: list and read users
 * (view-users), hand out a recovery link (issue-recovery-links) or mail one (recover-users).
 * authentik's paths end in `/`; the host routes both spellings here.
 */
@AuthentikController('api/v3/core/users')
export class AuthentikUsersController {
  constructor(
    private readonly usersService: AuthentikUsersService,
    private readonly recovery: RecoveryService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'core_users_list', summary: 'List users (authentik)' })
  @AuthentikPageQuery()
  @ApiQuery({ name: 'username', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'email', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'name', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'is_active', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'ordering', required: false, schema: { type: 'string', example: 'username' } })
  @ApiOkResponse({ type: PaginatedAuthentikUserListSchema })
  @AuthentikErrors(401, 403, 404)
  @RequiresPermission({ ...users, verb: 'list' })
  list(@Query() query: Record<string, unknown>): Promise<AuthentikPage<AuthentikUser>> {
    return this.usersService.list(
      {
        username: text(query.username),
        email: text(query.email),
        name: text(query.name),
        isActive: flag(query.is_active),
        search: text(query.search),
      },
      text(query.ordering),
      pageRequest(query),
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'core_users_retrieve', summary: 'Get one user (authentik)' })
  @ApiOkResponse({ type: AuthentikUserSchema })
  @AuthentikErrors(401, 403, 404)
  @RequiresPermission({ ...users, verb: 'get' })
  retrieve(@Param('id') id: string): Promise<AuthentikUser> {
    return this.usersService.get(id);
  }

  @Post(':id/recovery')
  @HttpCode(200)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'core_users_recovery_create', summary: 'Create a single-use recovery link and return it (authentik)' })
  @ApiOkResponse({ type: AuthentikLinkSchema })
  @AuthentikErrors(400, 401, 403, 404, 413, 429)
  @RequiresPermission({ ...users, subresource: 'recovery-link', verb: 'create' })
  async recoveryLink(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UserRecoveryLinkRequestDto,
    @ClientIp() ip: string,
  ): Promise<{ link: string }> {
    const issued = await this.recovery.issueRecoveryLink(requireUser(principal), { id: userId(id) }, { tokenDuration: body.token_duration, readLifetime: parseDuration, ip });
    return { link: issued.link };
  }

  @Post(':id/recovery_email')
  @HttpCode(204)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'core_users_recovery_email_create', summary: "Mail a single-use recovery link to the user's address (authentik)" })
  @ApiQuery({ name: 'email_stage', required: false, schema: { type: 'string', format: 'uuid' }, description: 'Older clients send the stage here' })
  @ApiNoContentResponse({ description: 'The mail is queued; the link is never returned' })
  @AuthentikErrors(400, 401, 403, 404, 413, 429, 503)
  @RequiresPermission({ ...users, subresource: 'recovery-email', verb: 'create' })
  async recoveryEmail(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UserRecoveryEmailRequestDto,
    @Query('email_stage') queryStage: unknown,
    @ClientIp() ip: string,
  ): Promise<void> {
    // 2024.x clients put the stage in the query string; current ones send it in the body.
    const emailStage = body.email_stage ?? text(queryStage);
    if (emailStage === undefined) {
      throw new DomainError(ErrorCode.BadRequest, 'This field is required.', { fields: { email_stage: ['This field is required.'] } });
    }
    await this.recovery.sendRecoveryMail(requireUser(principal), { id: userId(id) }, { emailStageId: emailStage, tokenDuration: body.token_duration, readLifetime: parseDuration, ip });
  }
}

/** authentik looks users up by integer pk; anything else is "not found". */
function userId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) {
    throw new DomainError(ErrorCode.UserNotFound, 'No User matches the given query.');
  }
  return Number(raw);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** DRF's BooleanFilter spellings; anything else means "no filter". */
function flag(value: unknown): boolean | undefined {
  const v = text(value)?.toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined;
}

import { Body, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { SendRecoveryEmailDto } from './dto/send-recovery-email.dto';
import { RecoveryService } from '../../recovery/recovery.service';
// Halo's tokenDuration is written in authentik's notation (the one email stages store).
import { parseDuration } from '../authentik/token-duration';
import { HaloErrors } from './openapi/halo-errors';
import { RecoveryLinkSchema } from './openapi/halo-schemas';

/** Our operation in Halo's console group: mail a recovery link to a user, as authentik's `recovery_email` does. */
@ApiTags('UserV1alpha1Console')
@HaloController('apis/api.console.halo.run/v1alpha1/users')
export class HaloRecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Post(':name/recovery-email')
  @HttpCode(204)
  @BodyLimit(16 * 1024)
  @ApiOperation({
    operationId: 'SendRecoveryEmail',
    summary: "Mail a single-use password recovery link to the user's address (default email stage)",
  })
  @HaloErrors(400, 401, 403, 404, 429, 503)
  @ApiNoContentResponse({ description: 'The mail is queued; the link is never returned.' })
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'users', subresource: 'recovery-email', nameParam: 'name', verb: 'create' })
  async sendRecoveryEmail(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: SendRecoveryEmailDto,
    @ClientIp() ip: string,
  ): Promise<void> {
    const caller = requireUser(principal);
    await this.recovery.sendRecoveryMail(caller, { name: name === '-' ? caller.name : name }, { tokenDuration: body.tokenDuration, readLifetime: parseDuration, ip });
  }

  @Post(':name/recovery-link')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @BodyLimit(16 * 1024)
  @ApiOperation({
    operationId: 'CreateRecoveryLink',
    summary: 'Create a single-use password recovery link and return it (the console\'s "Copy recovery link")',
  })
  @HaloErrors(400, 401, 403, 404, 429)
  @ApiOkResponse({ type: RecoveryLinkSchema, description: 'Older recovery links of the user stop working.' })
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'users', subresource: 'recovery-link', nameParam: 'name', verb: 'create' })
  async createRecoveryLink(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: SendRecoveryEmailDto,
    @ClientIp() ip: string,
  ): Promise<{ link: string; expiresAt: string }> {
    const caller = requireUser(principal);
    const issued = await this.recovery.issueRecoveryLink(caller, { name: name === '-' ? caller.name : name }, { tokenDuration: body.tokenDuration, readLifetime: parseDuration, ip });
    return { link: issued.link, expiresAt: issued.expiresAt.toISOString() };
  }
}

import { Body, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal, requireUser } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { HaloController } from './halo-controller.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { EmailVerifyRequestDto } from './dto/email-verify-request.dto';
import { VerifyCodeRequestDto } from './dto/verify-code-request.dto';
import { EmailVerificationService } from '../../email-verification/email-verification.service';
import { HaloErrors } from './openapi/halo-errors';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** Halo's SendEmailVerificationCode and VerifyEmail for the current user (`-`). */
@ApiTags('UserV1alpha1Console')
@HaloController('apis/api.console.halo.run/v1alpha1/users')
export class EmailVerificationController {
  constructor(private readonly emailVerification: EmailVerificationService) {}

  @Post('-/send-email-verification-code')
  @HttpCode(200)
  @IpThrottle('send')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'SendEmailVerificationCode', summary: 'Mail a verification code to a new address of the current user' })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ description: 'The code is queued for the new address (no body). The address changes only after VerifyEmail.' })
  @HaloErrors(400, 401, 403, 409, 413, 429, 503)
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'users', subresource: 'send-email-verification-code', name: '-' })
  async sendEmailVerificationCode(
    @CurrentPrincipal() principal: Principal,
    @Body() body: EmailVerifyRequestDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.emailVerification.sendCode(requireUser(principal), body.email, acceptLanguage, ip);
  }

  @Post('-/verify-email')
  @HttpCode(200)
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'VerifyEmail', summary: 'Verify the pending address with the mailed code and the current password' })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ description: 'The new address is set and verified (no body).' })
  @HaloErrors(400, 401, 403, 409, 429)
  @RequiresPermission({ apiGroup: ApiGroups.console, resource: 'users', subresource: 'verify-email', name: '-' })
  async verifyEmail(
    @CurrentPrincipal() principal: Principal,
    @Body() body: VerifyCodeRequestDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.emailVerification.verify(requireUser(principal), body.password, body.code, acceptLanguage, ip);
  }
}

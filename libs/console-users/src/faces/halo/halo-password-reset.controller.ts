import { Body, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp } from '../../auth/current-principal.decorator';
import { BodyLimit } from '../../http/body-rules.decorator';
import { HaloController } from './halo-controller.decorator';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { PasswordResetEmailRequestDto, ResetPasswordRequestDto } from './dto/halo-password-reset.dto';
import { HaloPasswordResetService } from './halo-password-reset.service';
import { HaloErrors } from './openapi/halo-errors';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** Halo's public (anonymous) password reset: request a mailed link, then set the password with it. */
@ApiTags('UserV1alpha1Public')
@HaloController('apis/api.halo.run/v1alpha1/users')
export class HaloPasswordResetController {
  constructor(private readonly reset: HaloPasswordResetService) {}

  @Post('-/send-password-reset-email')
  @HttpCode(204)
  @PublicRoute()
  @IpThrottle('send')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({
    operationId: 'SendPasswordResetEmail',
    summary: 'Mail a password reset link when username and email belong to one enabled account (always 204)',
  })
  @ApiOptionalHeaders('accept-language')
  @HaloErrors(400, 413, 429, 503)
  @ApiNoContentResponse({ description: 'Same answer whether or not the pair matches an account.' })
  async sendPasswordResetEmail(
    @Body() body: PasswordResetEmailRequestDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.reset.sendResetEmail(body, { ip, acceptLanguage });
  }

  @Put(':name/reset-password')
  @HttpCode(204)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'ResetPasswordByToken', summary: 'Set a new password with the token of a mailed reset link' })
  @ApiOptionalHeaders('accept-language')
  @HaloErrors(400, 429, 503)
  @ApiNoContentResponse({ description: 'Password set; every session and token of the user ended.' })
  async resetPassword(
    @Param('name') name: string,
    @Body() body: ResetPasswordRequestDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.reset.resetPassword(name, body, { ip, acceptLanguage });
  }
}

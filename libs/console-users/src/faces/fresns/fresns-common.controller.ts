import { Body, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { SendVerifyCodeDto } from './dto/send-verify-code.dto';
import { FresnsCodesService } from './fresns-codes.service';
import { FresnsController } from './fresns-controller.decorator';
import { FresnsEnvelope, fresnsOk } from './fresns-envelope';
import { ApiOptionalConsoleAuth } from '../../openapi/console-security';
import { FresnsResponse } from './openapi/fresns-schemas';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** Fresns v2 `common` endpoints. */
@FresnsController('api/v2/common')
export class FresnsCommonController {
  constructor(private readonly codes: FresnsCodesService) {}

  @Post('send-verify-code')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('send')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'Fresns_SendVerifyCode', summary: 'Fresns: send a verification code by email or SMS (same answer for known and unknown accounts)' })
  @ApiOptionalHeaders('x-fresns-client-lang-tag', 'accept-language')
  @ApiOptionalConsoleAuth()
  @FresnsResponse({})
  async sendVerifyCode(
    @Body() body: SendVerifyCodeDto,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
    @Headers('x-fresns-client-lang-tag') langTag?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<FresnsEnvelope<null>> {
    await this.codes.sendVerifyCode(body, { principal, ip, language: langTag || acceptLanguage });
    return fresnsOk();
  }
}

import { Body, Headers, HttpCode, Post, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { AccountRegisterDto } from './dto/account-register.dto';
import { AccountResetPasswordDto } from './dto/account-reset-password.dto';
import { AccountVerifyIdentityDto } from './dto/account-verify-identity.dto';
import { FresnsAccountService, FresnsRegisteredAccount } from './fresns-account.service';
import { FresnsCodesService } from './fresns-codes.service';
import { FresnsController } from './fresns-controller.decorator';
import { FresnsEnvelope, fresnsOk } from './fresns-envelope';
import { ApiOptionalConsoleAuth } from '../../openapi/console-security';
import { ErrorCode } from '../../errors/error-code';
import { FresnsCodeErrors, fresnsFailure, FresnsRegisterDataSchema, FresnsResponse } from './openapi/fresns-schemas';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** Fresns v2 account endpoints that consume codes. */
@FresnsController('api/v2/account')
export class FresnsAccountController {
  constructor(
    private readonly accounts: FresnsAccountService,
    private readonly codes: FresnsCodesService,
  ) {}

  @Post('register')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'Fresns_AccountRegister', summary: 'Fresns: register with a code (templateId 2); the account gets the guest role' })
  @ApiOptionalConsoleAuth()
  @FresnsResponse({ data: FresnsRegisterDataSchema, dataExample: { detail: { aid: 'jane-4f2a9c', username: 'jane-4f2a9c', nickname: 'Jane', email: 'jane@example.com', phone: null } }, errors: { ...FresnsCodeErrors, taken: fresnsFailure(ErrorCode.AddressInUse, 'The address already has an account') } })
  async register(
    @Body() body: AccountRegisterDto,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<FresnsEnvelope<{ detail: FresnsRegisteredAccount }>> {
    return fresnsOk({ detail: await this.accounts.register(body, { principal, ip }) });
  }

  @Put('reset-password')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'Fresns_AccountResetPassword', summary: 'Fresns: set a new password with a code (templateId 5); ends every session and token' })
  @ApiOptionalHeaders('x-fresns-client-lang-tag', 'accept-language')
  @FresnsResponse({ errors: FresnsCodeErrors })
  async resetPassword(
    @Body() body: AccountResetPasswordDto,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
    @Headers('x-fresns-client-lang-tag') langTag?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<FresnsEnvelope<null>> {
    await this.accounts.resetPassword(body, { principal, ip, language: langTag || acceptLanguage });
    return fresnsOk();
  }

  @Post('verify-identity')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'Fresns_AccountVerifyIdentity', summary: "Fresns: check a code sent to the logged-in account's own address (identity templates)" })
  @ApiOptionalConsoleAuth()
  @FresnsResponse({ errors: { ...FresnsCodeErrors, notLoggedIn: fresnsFailure(ErrorCode.Unauthenticated, 'Not logged in') } })
  async verifyIdentity(
    @Body() body: AccountVerifyIdentityDto,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
  ): Promise<FresnsEnvelope<null>> {
    await this.codes.verifyIdentity(body, { principal, ip });
    return fresnsOk();
  }
}

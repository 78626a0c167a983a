import { Body, Headers, HttpCode, Inject, Post, Put, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { AccountEditDto } from './dto/account-edit.dto';
import { AccountLoginDto } from './dto/account-login.dto';
import { AccountRegisterDto } from './dto/account-register.dto';
import { SESSION_COOKIE } from '../../auth/principal-resolver.service';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { serializeCookie } from '../../http/cookies';
import { ConsoleResponse, setHeader } from '../../http/http-types';
import { AccountResetPasswordDto } from './dto/account-reset-password.dto';
import { AccountVerifyIdentityDto } from './dto/account-verify-identity.dto';
import { FresnsAccountService, FresnsRegisteredAccount } from './fresns-account.service';
import { FresnsCodesService } from './fresns-codes.service';
import { FresnsController } from './fresns-controller.decorator';
import { FresnsEnvelope, fresnsOk } from './fresns-envelope';
import { AllowedWhilePasswordChangeRequired } from '../../auth/password-change-required.guard';
import { ApiOptionalConsoleAuth } from '../../openapi/console-security';
import { ErrorCode } from '../../errors/error-code';
import { FresnsBody, FresnsCodeErrors, fresnsFailure, FresnsRegisterDataSchema, FresnsResponse } from './openapi/fresns-schemas';
import { FRESNS_ERROR_MAP } from './fresns-error.filter';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** Fresns v2 account endpoints that consume codes. */
@FresnsController('api/v2/account')
export class FresnsAccountController {
  constructor(
    private readonly accounts: FresnsAccountService,
    private readonly codes: FresnsCodesService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Put('edit')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'Fresns_AccountEdit', summary: 'Fresns: bind a first email or phone to the logged-in account with a code (templateId 3)' })
  @FresnsBody(AccountEditDto, {
    email: { summary: 'Bind an email address', value: { newEmail: 'jane@example.com', newVerifyCode: '042917' } },
    phone: { summary: 'Bind a phone number', value: { newPhone: '4155550123', newCountryCode: '1', newVerifyCode: '042917' } },
  })
  @ApiOptionalConsoleAuth()
  @FresnsResponse({
    errors: {
      ...FresnsCodeErrors,
      notLoggedIn: fresnsFailure(ErrorCode.Unauthenticated, 'Not logged in'),
      bound: { summary: 'The account already has an email address (changing one is not offered here)', value: { ...FRESNS_ERROR_MAP[ErrorCode.UnsatisfiedAttribute].reasons.email, data: null } },
      taken: fresnsFailure(ErrorCode.AddressInUse, 'The address belongs to another account'),
    },
  })
  async edit(@Body() body: AccountEditDto, @CurrentPrincipal() principal: Principal, @ClientIp() ip: string): Promise<FresnsEnvelope<null>> {
    await this.accounts.edit(body, { principal, ip });
    return fresnsOk();
  }

  @Post('login')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @AllowedWhilePasswordChangeRequired()
  @ApiOperation({ operationId: 'Fresns_AccountLogin', summary: 'Fresns: log in with a code (templateId 7); sets the SESSION cookie' })
  @FresnsBody(AccountLoginDto, {
    email: { summary: 'With a code mailed to the address', value: { type: 'email', account: 'jane@example.com', verifyCode: '042917' } },
    phone: { summary: 'With a code texted to the number', value: { type: 'phone', account: '4155550123', countryCode: '1', verifyCode: '042917' } },
  })
  @FresnsResponse({
    data: FresnsRegisterDataSchema,
    dataExample: { detail: { aid: 'jane', username: 'jane', nickname: 'Jane Doe', email: 'jane@example.com', phone: null } },
    errors: {
      ...FresnsCodeErrors,
      password: {
        summary: 'A password instead of a code (passwords log in through POST /login)',
        value: {
          code: FRESNS_ERROR_MAP[ErrorCode.BadRequest].code,
          message: `${FRESNS_ERROR_MAP[ErrorCode.BadRequest].message}: Password logins go through POST /login; this route takes a verifyCode.`,
          data: null,
        },
      },
    },
  })
  async login(
    @Body() body: AccountLoginDto,
    @CurrentPrincipal() principal: Principal,
    @ClientIp() ip: string,
    @Res({ passthrough: true }) response: ConsoleResponse,
    @Headers('user-agent') userAgent?: string,
  ): Promise<FresnsEnvelope<{ detail: FresnsRegisteredAccount }>> {
    const { detail, session } = await this.accounts.login(body, { principal, ip, userAgent: userAgent ?? null });
    setHeader(response, 'Set-Cookie', serializeCookie(SESSION_COOKIE, session.sessionToken, { secure: this.options.secureCookies }));
    setHeader(response, 'Cache-Control', 'no-store');
    return fresnsOk({ detail });
  }

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

  @AllowedWhilePasswordChangeRequired()
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

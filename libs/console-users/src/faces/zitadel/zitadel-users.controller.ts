import { Body, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientIp, CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { BodyLimit } from '../../http/body-rules.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { PublicRoute, RequiresPermission } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { AddHumanUserDto, PasswordResetDto, SendEmailCodeDto, SetEmailDto, SetPasswordDto, VerifyEmailDto } from './dto/zitadel-requests.dto';
import type { ZitadelAddHumanUserResponse, ZitadelGetUserResponse, ZitadelWriteResponse } from './dto/zitadel-responses.dto';
import { ZitadelAddHumanService } from './zitadel-add-human.service';
import { ZitadelController } from './zitadel-controller.decorator';
import { ZitadelEmailService } from './zitadel-email.service';
import { ZitadelPasswordService } from './zitadel-password.service';
import { ZitadelUsersService } from './zitadel-users.service';
import { AllowedWhilePasswordChangeRequired } from '../../auth/password-change-required.guard';
import { ApiOptionalConsoleAuth } from '../../openapi/console-security';
import { ZitadelAddHumanUserResponseSchema, ZitadelBody, ZitadelErrors, ZitadelGetUserResponseSchema, ZitadelWriteResponseSchema } from './openapi/zitadel-schemas';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/**
 * What the guard checks on the authenticated routes: every signed-in principal (session or
 * PAT) holds `users/-` update through `role-template-own-user-info`, anonymous callers do not
 * (→ 401). Self versus other, and the stronger permissions, need the target user, so the
 * services decide them (→ 403).
 */
const SIGNED_IN = { apiGroup: ApiGroups.console, resource: 'users', name: '-', verb: 'update' } as const;

/** ZITADEL user service v2 (REST): email codes, password reset and GetUserByID. */
@ApiTags('ZITADEL UserService v2')
@ZitadelController('v2/users')
export class ZitadelUsersController {
  constructor(
    private readonly users: ZitadelUsersService,
    private readonly email: ZitadelEmailService,
    private readonly passwords: ZitadelPasswordService,
    private readonly humans: ZitadelAddHumanService,
  ) {}

  @Post('human')
  @HttpCode(201)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_AddHumanUser', summary: 'Create a user with a password or an imported argon2id/bcrypt hash' })
  @ZitadelBody(AddHumanUserDto, {
    sendCode: {
      summary: 'With a password; mail the email code (inside your link)',
      value: {
        username: 'jane',
        profile: { givenName: 'Jane', familyName: 'Doe' },
        email: { email: 'jane@example.com', sendCode: { urlTemplate: 'https://app.example.com/verify?userID={{.UserID}}&code={{.Code}}' } },
        password: { password: 'a-new-long-password', changeRequired: false },
      },
    },
    returnCode: {
      summary: 'With a password; return the email code instead of mailing it',
      value: { username: 'jane', profile: { givenName: 'Jane', familyName: 'Doe' }, email: { email: 'jane@example.com', returnCode: {} }, password: { password: 'a-new-long-password' } },
    },
    isVerified: {
      summary: 'With an imported bcrypt hash (of `an-imported-password`); email verified by the creator (admin)',
      value: {
        username: 'jane',
        profile: { givenName: 'Jane', familyName: 'Doe', displayName: 'Jane Doe' },
        email: { email: 'jane@example.com', isVerified: true },
        phone: { phone: '+14155550123' },
        hashedPassword: { hash: '$2b$10$6Y634.Ca3p6LEACKOLOBOO1qI9OrJTjMC3G9viZFngTJNK2btw1uC', changeRequired: true },
      },
    },
  })
  @ApiOptionalHeaders('accept-language')
  @ApiCreatedResponse({ type: ZitadelAddHumanUserResponseSchema })
  @ZitadelErrors(400, 401, 403, 409, 413, 503)
  // Creating users is core `users` create (role-template-manage-users), as Halo's CreateUser.
  @RequiresPermission({ apiGroup: ApiGroups.core, resource: 'users', verb: 'create' })
  addHumanUser(
    @CurrentPrincipal() principal: Principal,
    @Body() body: AddHumanUserDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ZitadelAddHumanUserResponse> {
    return this.humans.addHuman(principal, body, { ip, acceptLanguage });
  }

  @Get(':userId')
  @ApiOperation({ operationId: 'UserService_GetUserByID', summary: 'Get a user by id' })
  @ApiOkResponse({ type: ZitadelGetUserResponseSchema })
  @ZitadelErrors(401, 403, 404)
  @RequiresPermission(SIGNED_IN)
  getUser(@CurrentPrincipal() principal: Principal, @Param('userId') userId: string): Promise<ZitadelGetUserResponse> {
    return this.users.getUser(principal, userId);
  }

  @Post(':userId/email')
  @HttpCode(200)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_SetEmail', summary: 'Change the email address; send, return or skip the verification code' })
  @ZitadelBody(SetEmailDto, {
    sendCode: { summary: 'Mail the code (inside your link)', value: { email: 'jane.new@example.com', sendCode: { urlTemplate: 'https://app.example.com/verify?userID={{.UserID}}&code={{.Code}}' } } },
    returnCode: { summary: 'Return the code instead of mailing it', value: { email: 'jane.new@example.com', returnCode: {} } },
    isVerified: { summary: 'Set it as verified (admin)', value: { email: 'jane.new@example.com', isVerified: true } },
  })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 401, 403, 404, 409, 413, 429, 503)
  @RequiresPermission(SIGNED_IN)
  setEmail(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: SetEmailDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ZitadelWriteResponse> {
    return this.email.setEmail(principal, userId, body, { ip, acceptLanguage });
  }

  @Post(':userId/email/send')
  @HttpCode(200)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_SendEmailCode', summary: 'Send (or return) a new email verification code' })
  @ZitadelBody(SendEmailCodeDto, {
    sendCode: { summary: 'Mail the code', value: { sendCode: {} } },
    returnCode: { summary: 'Return the code instead of mailing it', value: { returnCode: {} } },
  })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 401, 403, 404, 413, 429, 503)
  @RequiresPermission(SIGNED_IN)
  sendEmailCode(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: SendEmailCodeDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ZitadelWriteResponse> {
    return this.email.sendCode(principal, userId, body ?? {}, { ip, acceptLanguage }, false);
  }

  @Post(':userId/email/resend')
  @HttpCode(200)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_ResendEmailCode', summary: 'Replace the outstanding email verification code' })
  @ZitadelBody(SendEmailCodeDto, {
    sendCode: { summary: 'Mail a new code', value: { sendCode: {} } },
    returnCode: { summary: 'Return the new code instead of mailing it', value: { returnCode: {} } },
  })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 401, 403, 404, 413, 429, 503)
  @RequiresPermission(SIGNED_IN)
  resendEmailCode(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: SendEmailCodeDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ZitadelWriteResponse> {
    return this.email.sendCode(principal, userId, body ?? {}, { ip, acceptLanguage }, true);
  }

  @Post(':userId/email/verify')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_VerifyEmail', summary: 'Verify the email address with the code (no authentication: the code is the proof)' })
  @ZitadelBody(VerifyEmailDto, { code: { summary: 'The mailed code', value: { verificationCode: '042917' } } })
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 404, 409, 413, 429)
  verifyEmail(@Param('userId') userId: string, @Body() body: VerifyEmailDto, @ClientIp() ip: string): Promise<ZitadelWriteResponse> {
    return this.email.verify(userId, body.userId, body.verificationCode, { ip });
  }

  @Post(':userId/password_reset')
  @HttpCode(200)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'UserService_PasswordReset', summary: 'Send (or return) a password reset code' })
  @ZitadelBody(PasswordResetDto, {
    sendLink: { summary: 'Mail the code (inside your link)', value: { sendLink: { notificationType: 'NOTIFICATION_TYPE_Email', urlTemplate: 'https://app.example.com/reset?userID={{.UserID}}&code={{.Code}}' } } },
    returnCode: { summary: 'Return the code instead of sending it', value: { returnCode: {} } },
  })
  @ApiOptionalHeaders('accept-language')
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 401, 403, 404, 413, 429, 503)
  @RequiresPermission(SIGNED_IN)
  passwordReset(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: PasswordResetDto,
    @ClientIp() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ZitadelWriteResponse> {
    return this.passwords.requestReset(principal, userId, body ?? {}, { ip, acceptLanguage });
  }

  @AllowedWhilePasswordChangeRequired()
  @Post(':userId/password')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({
    operationId: 'UserService_SetPassword',
    summary: 'Set a new password with a reset code (no authentication), the current password, or as an administrator',
  })
  @ZitadelBody(SetPasswordDto, {
    verificationCode: { summary: 'With the reset code (no login)', value: { newPassword: { password: 'a-new-long-password', changeRequired: false }, verificationCode: '042917' } },
    currentPassword: { summary: 'With the current password (signed in as the user)', value: { newPassword: { password: 'a-new-long-password' }, currentPassword: 'the-current-password' } },
    admin: { summary: 'As an administrator', value: { newPassword: { password: 'a-new-long-password', changeRequired: true } } },
  })
  @ApiOptionalConsoleAuth()
  @ApiOkResponse({ type: ZitadelWriteResponseSchema })
  @ZitadelErrors(400, 401, 403, 404, 413, 429, 501, 503)
  setPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('userId') userId: string,
    @Body() body: SetPasswordDto,
    @ClientIp() ip: string,
  ): Promise<ZitadelWriteResponse> {
    return this.passwords.setPassword(principal, userId, body, { ip });
  }
}

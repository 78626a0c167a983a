import { Body, Controller, Get, HttpCode, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { ClientIp } from '../../auth/current-principal.decorator';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { AcceptsMediaTypes, BodyLimit } from '../../http/body-rules.decorator';
import type { ConsoleResponse } from '../../http/http-types';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import {
  CodePageErrorFilter,
  confirmEmailPage,
  failurePage,
  HtmlPage,
  INCOMPLETE_LINK,
  messagePage,
  resetPasswordPage,
  sendPage,
} from './code-pages.html';
import { ZitadelEmailService } from './zitadel-email.service';
import { ZitadelPasswordService } from './zitadel-password.service';

const FORM = 'application/x-www-form-urlencoded';
const FORM_LIMIT = 16 * 1024;

/**
 * The pages our own code links open (`{PUBLIC_URL}/verify-email?user=…&code=…` and
 * `/reset-password?user=…&code=…`) when the caller gave no `urlTemplate`. Opening a link only
 * shows a form; the POST does the work, so a mail scanner fetching the link uses nothing.
 */
@ApiExcludeController()
@Controller()
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(CodePageErrorFilter)
export class CodePagesController {
  constructor(
    private readonly email: ZitadelEmailService,
    private readonly passwords: ZitadelPasswordService,
  ) {}

  @Get('verify-email')
  @PublicRoute()
  showVerifyEmail(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: ConsoleResponse): string {
    const { user, code } = linkParams(query);
    return sendPage(response, user && code ? confirmEmailPage(user, code) : INCOMPLETE_LINK());
  }

  @Post('verify-email')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(FORM_LIMIT)
  @AcceptsMediaTypes(FORM)
  async verifyEmail(@Body() body: unknown, @ClientIp() ip: string, @Res({ passthrough: true }) response: ConsoleResponse): Promise<string> {
    const { user, code } = linkParams(body);
    if (!user || !code) {
      return sendPage(response, INCOMPLETE_LINK());
    }
    return sendPage(
      response,
      await outcome(
        () => this.email.verify(user, undefined, code, { ip }),
        () => messagePage(200, 'Email address verified', 'Thank you: your email address is verified. You can close this page.'),
      ),
    );
  }

  @Get('reset-password')
  @PublicRoute()
  showResetPassword(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: ConsoleResponse): string {
    const { user, code } = linkParams(query);
    return sendPage(response, user && code ? resetPasswordPage(user, code) : INCOMPLETE_LINK());
  }

  @Post('reset-password')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(FORM_LIMIT)
  @AcceptsMediaTypes(FORM)
  async resetPassword(@Body() body: unknown, @ClientIp() ip: string, @Res({ passthrough: true }) response: ConsoleResponse): Promise<string> {
    const { user, code } = linkParams(body);
    const fields = (body ?? {}) as { password?: unknown; confirm?: unknown };
    if (!user || !code) {
      return sendPage(response, INCOMPLETE_LINK());
    }
    if (typeof fields.password !== 'string' || fields.password !== fields.confirm) {
      return sendPage(response, resetPasswordPage(user, code, 'The two passwords do not match.'));
    }
    const password = fields.password;
    return sendPage(
      response,
      await outcome(
        () => this.passwords.resetWithCode(user, code, password, { ip }),
        () => messagePage(200, 'Password changed', 'Your password has been changed and you have been signed out everywhere. Sign in with the new password.'),
        // A password the policy refuses leaves the code unused: show the form again.
        (error) => (error.code === ErrorCode.BadRequest ? resetPasswordPage(user, code, error.message) : undefined),
      ),
    );
  }
}

/** `user` and `code` of a link or its form, when both are short strings. */
function linkParams(source: unknown): { user?: string; code?: string } {
  const fields = (source ?? {}) as { user?: unknown; code?: unknown };
  const user = typeof fields.user === 'string' && fields.user.length <= 32 ? fields.user : undefined;
  const code = typeof fields.code === 'string' && fields.code.length >= 1 && fields.code.length <= 20 ? fields.code : undefined;
  return { user, code };
}

async function outcome(
  action: () => Promise<unknown>,
  success: () => HtmlPage,
  special?: (error: DomainError) => HtmlPage | undefined,
): Promise<HtmlPage> {
  try {
    await action();
    return success();
  } catch (error) {
    if (!(error instanceof DomainError)) {
      throw error; // the filter logs it and shows a bare 500 page
    }
    return special?.(error) ?? failurePage(error);
  }
}

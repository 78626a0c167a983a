import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Post, Query, Res, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { ClientIp } from '../../auth/current-principal.decorator';
import { AcceptsMediaTypes, BodyLimit } from '../../http/body-rules.decorator';
import type { ConsoleResponse } from '../../http/http-types';
import { setHeader } from '../../http/http-types';
import { resolveLocale } from '../../notifications/template-dirs';
import { PublicRoute } from '../../rbac/requires-permission.decorator';
import { IpThrottle } from '../../throttling/ip-throttle.decorator';
import { sendRaw } from '../face-response';
import { faceValidationPipe } from '../face-validation.pipe';
import { anqiOk, AnqiCmsEnvelope } from './anqicms-envelope';
import { AnqiCmsErrorFilter } from './anqicms-error.filter';
import { AnqiCmsLinksService, LinkQuery } from './anqicms-links.service';
import { messagePage, PAGE_TEXTS, resetFormPage, sendPage } from './anqicms-pages';
import { PasswordResetRequestDto } from './dto/password-reset-request.dto';
import { VerifyEmailRequestDto } from './dto/verify-email-request.dto';
import { AnqiCmsLinkErrors, AnqiCmsLinkQuery, AnqiCmsPageResponse, AnqiCmsResponse } from './openapi/anqicms-schemas';
import { ApiOptionalHeaders } from '../../openapi/optional-headers';

const SMALL_BODY = 16 * 1024;

/** The AnqiCMS face: `{code, msg}` answers with HTTP 200, pages for the mailed links. */
function AnqiCmsFace(): ClassDecorator {
  return applyDecorators(
    ApiTags('AnqiCMS'),
    Controller(),
    UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard),
    UseFilters(AnqiCmsErrorFilter),
    UsePipes(faceValidationPipe()),
  );
}

/** AnqiCMS' `/api/verify/email`, its link target and `/api/password/reset`. */
@AnqiCmsFace()
export class AnqiCmsController {
  constructor(private readonly links: AnqiCmsLinksService) {}

  @Post('api/verify/email')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('send')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'AnqiCms_RequestEmailLink', summary: 'AnqiCMS: mail a verify or reset link (same answer for known and unknown addresses)' })
  @ApiOptionalHeaders('accept-language')
  @AnqiCmsResponse('Please verify your email')
  async requestLink(
    @Body() body: VerifyEmailRequestDto,
    @ClientIp() ip: string,
    @Res({ passthrough: true }) response: ConsoleResponse,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<AnqiCmsEnvelope> {
    await this.links.requestLink(body, { ip, acceptLanguage });
    setHeader(response, 'Cache-Control', 'no-store');
    return anqiOk('Please verify your email');
  }

  @Get('api/verify/email')
  @PublicRoute()
  @IpThrottle('verify')
  @ApiOperation({ operationId: 'AnqiCms_OpenEmailLink', summary: 'AnqiCMS: the mailed link; verify marks the address verified (no login), reset shows the reset page' })
  @ApiOptionalHeaders('accept-language')
  @AnqiCmsLinkQuery(true)
  @AnqiCmsPageResponse('The result page (verified, or the reset form), or the envelope with `return=json`', true)
  async openLink(
    @Query() query: LinkQuery & { return?: unknown },
    @ClientIp() ip: string,
    @Res() response: ConsoleResponse,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.answerLink(query, { ip, acceptLanguage }, response, query.return === 'json');
  }

  @Get('account/password/reset')
  @PublicRoute()
  @IpThrottle('verify')
  @ApiOperation({ operationId: 'AnqiCms_ResetPasswordPage', summary: "AnqiCMS: the reset page at AnqiCMS' own address (token, code, email in the query)" })
  @ApiOptionalHeaders('accept-language')
  @AnqiCmsLinkQuery(false)
  @AnqiCmsPageResponse('The reset form, or a page saying the link is not valid', false)
  async resetPage(
    @Query() query: LinkQuery,
    @ClientIp() ip: string,
    @Res() response: ConsoleResponse,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.answerLink({ ...query, state: 'reset' }, { ip, acceptLanguage }, response, false);
  }

  @Post('api/password/reset')
  @HttpCode(200)
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(SMALL_BODY)
  @AcceptsMediaTypes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'AnqiCms_ResetPassword', summary: 'AnqiCMS: set a new password with the token and code of a reset link; ends every session' })
  @ApiOptionalHeaders('content-type', 'accept-language')
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @AnqiCmsResponse('Password changed successfully', AnqiCmsLinkErrors)
  async resetPassword(
    @Body() body: PasswordResetRequestDto,
    @ClientIp() ip: string,
    @Res() response: ConsoleResponse,
    @Headers('content-type') contentType?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<void> {
    await this.links.resetPassword(body, { ip, acceptLanguage });
    if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      const locale = resolveLocale(null, acceptLanguage);
      sendPage(response, messagePage(locale, PAGE_TEXTS[locale].resetDoneTitle, PAGE_TEXTS[locale].resetDone), this.links.formOrigin());
      return;
    }
    sendJson(response, anqiOk('Password changed successfully'));
  }

  private async answerLink(query: LinkQuery, caller: { ip: string; acceptLanguage?: string }, response: ConsoleResponse, json: boolean): Promise<void> {
    const outcome = await this.links.openLink(query, caller);
    const locale = resolveLocale(null, caller.acceptLanguage);
    const texts = PAGE_TEXTS[locale];
    if (json) {
      sendJson(response, anqiOk(outcome.kind === 'verified' ? 'Email verified' : 'Please set a new password'));
    } else if (outcome.kind === 'verified') {
      sendPage(response, messagePage(locale, texts.verifiedTitle, texts.verified), this.links.formOrigin());
    } else {
      sendPage(response, resetFormPage(locale, { action: this.links.resetAction(), email: outcome.email, token: outcome.token, code: outcome.code }), this.links.formOrigin());
    }
  }
}

function sendJson(response: ConsoleResponse, body: AnqiCmsEnvelope): void {
  setHeader(response, 'Cache-Control', 'no-store');
  sendRaw(response, 200, 'application/json; charset=utf-8', JSON.stringify(body));
}

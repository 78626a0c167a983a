import { Controller, Get, Param, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { RequestBodyGuard } from '../http/request-body.guard';
import { SameOriginGuard } from '../http/same-origin.guard';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { HaloProblemFilter } from '../faces/halo/halo-problem.filter';
import { ConsoleResponse, setHeader } from '../http/http-types';
import { PublicRoute } from '../rbac/requires-permission.decorator';
import { avatarContentType } from './avatar-image';
import { AvatarStorage } from './avatar-storage';
import { HaloErrors } from '../faces/halo/openapi/halo-errors';

/**
 * Serves stored avatars at `/avatars/<file>`, the URL put in `spec.avatar`. Public, like Halo's
 * attachment permalinks. Names are random and never reused, so responses are cacheable forever.
 */
@ApiTags('Avatars')
@Controller('avatars')
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(HaloProblemFilter)
export class AvatarsController {
  constructor(private readonly storage: AvatarStorage) {}

  @Get(':file')
  @PublicRoute()
  @ApiOperation({ operationId: 'GetAvatar', summary: 'A stored avatar image' })
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'image/webp')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The image bytes' })
  @HaloErrors(404)
  async avatar(@Param('file') file: string, @Res({ passthrough: true }) response: ConsoleResponse): Promise<StreamableFile> {
    const data = await this.storage.read(file);
    const type = avatarContentType(file.slice(file.lastIndexOf('.') + 1));
    if (!data || !type) {
      throw new DomainError(ErrorCode.NotFound, 'The avatar was not found.', { type: 'about:blank' });
    }
    // nosniff and a CSP that forbids everything: the bytes are only ever an image.
    setHeader(response, 'X-Content-Type-Options', 'nosniff');
    setHeader(response, 'Content-Security-Policy', "default-src 'none'; sandbox");
    setHeader(response, 'Cache-Control', 'public, max-age=31536000, immutable');
    return new StreamableFile(data, { type, length: data.length });
  }
}

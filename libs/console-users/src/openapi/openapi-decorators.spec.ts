import { Body, Controller, Headers, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ExpressAdapter } from '@nestjs/platform-express';
import { HaloErrors } from '../faces/halo/openapi/halo-errors';
import { HaloUserSchema } from '../faces/halo/openapi/halo-schemas';
import { PublicRoute, RequiresPermission } from '../rbac/requires-permission.decorator';
import { addConsoleUsersSecuritySchemes, ApiOptionalConsoleAuth } from './console-security';
import { ApiOptionalHeaders } from './optional-headers';

class NoteDto {
  text!: string;
}

/** A host's own controller that uses the library's decorators. */
@Controller('host')
class HostController {
  @Post('protected')
  @RequiresPermission({ apiGroup: 'host.example', resource: 'notes' })
  @HaloErrors(400, 401)
  protectedRoute(@Body() _body: NoteDto, @Headers('accept-language') _language?: string): HaloUserSchema {
    return new HaloUserSchema();
  }

  @Post('public')
  @PublicRoute()
  @ApiOptionalConsoleAuth()
  @ApiOptionalHeaders('accept-language')
  publicRoute(@Headers('accept-language') _language?: string): void {}
}

describe('the OpenAPI decorators in a host document', () => {
  let sut: OpenAPIObject;
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [HostController] }).compile();
    app = moduleRef.createNestApplication(new ExpressAdapter(), { logger: false });
    sut = SwaggerModule.createDocument(app, addConsoleUsersSecuritySchemes(new DocumentBuilder().setTitle('host')).build());
  });

  afterAll(async () => {
    await app.close();
  });

  it('adds the session cookie, opaque PAT bearer and Basic schemes to the host builder', () => {
    expect(sut.components?.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'SESSION' }),
      pat: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' }),
      basic: expect.objectContaining({ type: 'http', scheme: 'basic' }),
    });
  });

  it('gives a RequiresPermission route the three credentials, and a public one the anonymous option too', () => {
    const schemes = (security: Record<string, string[]>[] | undefined) => (security ?? []).map((s) => Object.keys(s).join() || '{}').sort();
    expect(schemes(sut.paths['/host/protected']!.post!.security)).toEqual(['basic', 'pat', 'session']);
    expect(schemes(sut.paths['/host/public']!.post!.security)).toEqual(['basic', 'pat', 'session', '{}']);
  });

  it('documents Halo errors as problem+json with a registered schema and an example', () => {
    const response = sut.paths['/host/protected']!.post!.responses['401'] as { content: Record<string, { schema: { $ref: string }; example: { status: number } }> };
    expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    expect(response.content['application/problem+json']!.example.status).toBe(401);
    expect(sut.components?.schemas?.[response.content['application/problem+json']!.schema.$ref.split('/').pop()!]).toBeDefined();
  });

  it('keeps a header read with @Headers optional only where ApiOptionalHeaders says so', () => {
    const header = (path: string) => sut.paths[path]!.post!.parameters!.find((p) => 'name' in p && p.name === 'accept-language') as { required: boolean };
    expect(header('/host/public').required).toBe(false);
    // Nest's own default, which made Swagger UI demand the header.
    expect(header('/host/protected').required).toBe(true);
  });
});

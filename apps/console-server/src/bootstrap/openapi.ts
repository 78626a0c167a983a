import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { addConsoleUsersSecuritySchemes } from '../console-users';

/** Where the server serves Swagger UI and the OpenAPI document. */
export const SWAGGER_UI_PATH = 'swagger-ui';
export const OPENAPI_DOCUMENT_PATH = 'v3/api-docs';

/**
 * The OpenAPI document of every route the app serves (every face, the library's own routes),
 * with the library's security schemes. No `servers`: Swagger UI then calls the origin it was
 * loaded from, which is what keeps "Try it out" same-origin (cookie sent, Origin check passed).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('console-users')
    .setDescription(
      "Admin-console user management, wire-compatible with Halo's console user API, plus ZITADEL, authentik, Fresns and AnqiCMS faces.\n\n" +
        'Try it out: log in first (`POST /login` below, or the console at `/console/`) in this browser, then call any operation: ' +
        'the browser sends the SESSION cookie itself. Or paste a personal access token (`pat_…`) under Authorize → pat. ' +
        'Open this page at the server\'s public address (PUBLIC_URL): requests with the cookie from another origin are refused.',
    )
    .setVersion('0.1.0');
  return SwaggerModule.createDocument(app, addConsoleUsersSecuritySchemes(builder).build());
}

/**
 * Serves Swagger UI at `/swagger-ui` and the document at `/v3/api-docs`. The document is built on
 * its first request, not at boot: walking every route's metadata took a tenth of the boot and kept
 * the whole document in memory of servers nobody reads it from.
 */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => createOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_DOCUMENT_PATH });
}

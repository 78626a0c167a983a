import { applyDecorators } from '@nestjs/common';
import { ApiSecurity, DocumentBuilder, SecuritySchemeObject } from '@nestjs/swagger';

/** Names of the library's security schemes in an OpenAPI document. */
export const ConsoleSecuritySchemes = {
  /** The `SESSION` cookie set by `POST /login`. */
  session: 'session',
  /** A Halo personal access token in `Authorization: Bearer pat_…`. */
  pat: 'pat',
  /** HTTP Basic (username and password), only when the `basicAuth` option is on. */
  basic: 'basic',
} as const;

/**
 * The security schemes the library's operations refer to. A host that builds its own document
 * adds them with {@link addConsoleUsersSecuritySchemes}, or the `$ref`s of our operations dangle.
 */
export const CONSOLE_USERS_SECURITY_SCHEMES: Readonly<Record<(typeof ConsoleSecuritySchemes)[keyof typeof ConsoleSecuritySchemes], SecuritySchemeObject>> = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'SESSION',
    description:
      'The session cookie set by `POST /login` (HttpOnly). A browser sends it by itself: log in on the same origin ' +
      '(the console at `/console/`, or `POST /login` in this page) and "Try it out" carries it. Scripts send `Cookie: SESSION=…`.',
  },
  pat: {
    type: 'http',
    scheme: 'bearer',
    // Opaque, not a JWT: the server looks its hash up; nothing can be read out of it.
    bearerFormat: 'opaque',
    description:
      'A personal access token (`pat_…`, opaque) from GeneratePat, in the `Authorization` header only (never in a query or body). ' +
      'Its roles are a subset of its owner\'s.',
  },
  basic: {
    type: 'http',
    scheme: 'basic',
    description: 'Username (or verified email) and password. Accepted only when basic authentication is enabled (`BASIC_AUTH_ENABLED=true` / the `basicAuth` option); off by default.',
  },
};

/** Adds the library's security schemes to a host's (or the server's) document builder. */
export function addConsoleUsersSecuritySchemes(builder: DocumentBuilder): DocumentBuilder {
  for (const [name, scheme] of Object.entries(CONSOLE_USERS_SECURITY_SCHEMES)) {
    builder.addSecurity(name, scheme);
  }
  return builder;
}

/** Documents that an operation needs one of the library's credentials: session, PAT or Basic. */
export function ApiConsoleAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiSecurity(ConsoleSecuritySchemes.session),
    ApiSecurity(ConsoleSecuritySchemes.pat),
    ApiSecurity(ConsoleSecuritySchemes.basic),
  ) as MethodDecorator & ClassDecorator;
}

/**
 * Added to a {@link RequiresPermission} operation whose permission the anonymous role holds
 * (GetCurrentUserDetail answers `anonymousUser`): credentials are optional there.
 */
export function ApiAnonymousAllowed(): MethodDecorator & ClassDecorator {
  return ApiSecurity({});
}

/**
 * Documents an operation anybody may call that behaves differently for a signed-in caller
 * (for example ZITADEL's SetPassword: a code without login, the current password or admin rights with one).
 */
export function ApiOptionalConsoleAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiSecurity({}), ApiConsoleAuth()) as MethodDecorator & ClassDecorator;
}

import type { ExceptionFilter, Type } from '@nestjs/common';

/** The wire faces the library can mount. */
export type FaceName = 'halo' | 'authentik' | 'zitadel' | 'fresns' | 'anqicms';

/**
 * One wire face: the controllers that speak it, its error filter, and the path prefixes whose
 * errors it answers even when no controller was chosen (unparsable bodies, unknown routes).
 */
export interface ConsoleFace {
  name: FaceName;
  controllers: readonly Type<unknown>[];
  filter: Type<ExceptionFilter>;
  pathPrefixes: readonly string[];
}

/** Injection token of the faces a module instance mounted. */
export const CONSOLE_USERS_FACES = 'console-users:faces';

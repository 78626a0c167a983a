import type { ConsoleFace } from '../console-face';
import { AuthentikEmailStagesController } from './authentik-email-stages.controller';
import { AuthentikErrorFilter } from './authentik-error.filter';
import { AuthentikUsersController } from './authentik-users.controller';

/** Path prefixes of the authentik face. */
export const AUTHENTIK_PATH_PREFIXES = ['/api/v3/'] as const;

/** authentik's admin recovery and email stages (`/api/v3/…`). */
export const AUTHENTIK_FACE: ConsoleFace = {
  name: 'authentik',
  controllers: [AuthentikUsersController, AuthentikEmailStagesController],
  filter: AuthentikErrorFilter,
  pathPrefixes: AUTHENTIK_PATH_PREFIXES,
};

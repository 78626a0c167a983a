import type { ConsoleFace } from '../console-face';
import { CodePagesController } from './code-pages.controller';
import { ZitadelErrorFilter } from './zitadel-error.filter';
import { ZitadelUsersController } from './zitadel-users.controller';

/** Path prefix of the face, for hosts that route global errors by face. */
export const ZITADEL_PATH_PREFIX = '/v2/';

/** ZITADEL's user email and password API (`/v2/users/…`) and the code pages its mails link to. */
export const ZITADEL_FACE: ConsoleFace = {
  name: 'zitadel',
  controllers: [ZitadelUsersController, CodePagesController],
  filter: ZitadelErrorFilter,
  pathPrefixes: [ZITADEL_PATH_PREFIX],
};

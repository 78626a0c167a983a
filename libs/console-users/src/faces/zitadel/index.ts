import { CodePagesController } from './code-pages.controller';
import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { ZitadelEmailService } from './zitadel-email.service';
import { ZitadelErrorFilter } from './zitadel-error.filter';
import { ZitadelPasswordService } from './zitadel-password.service';
import { ZitadelUsersController } from './zitadel-users.controller';
import { ZitadelUsersService } from './zitadel-users.service';

/** Controllers of the ZITADEL face (`/v2/users/…`) and of the code pages its mails link to. */
export const ZITADEL_CONTROLLERS = [ZitadelUsersController, CodePagesController];

/** Providers of the ZITADEL face. */
export const ZITADEL_PROVIDERS = [ZitadelErrorFilter, ZitadelAccessPolicy, ZitadelEmailService, ZitadelPasswordService, ZitadelUsersService];

/** Path prefix of the face, for hosts that route global errors by face. */
export const ZITADEL_PATH_PREFIX = '/v2/';

export { ZitadelErrorFilter, ZITADEL_ERROR_MAP, ZITADEL_ERROR_DETAIL_TYPE } from './zitadel-error.filter';
export type { ZitadelErrorBody } from './zitadel-error.filter';
export { GrpcCode } from './zitadel-errors';

import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { ZitadelEmailService } from './zitadel-email.service';
import { ZitadelErrorFilter } from './zitadel-error.filter';
import { ZitadelPasswordService } from './zitadel-password.service';
import { ZitadelUsersService } from './zitadel-users.service';
import { ZitadelAddHumanService } from './zitadel-add-human.service';

/** Providers of the ZITADEL face. */
export const ZITADEL_PROVIDERS = [ZitadelErrorFilter, ZitadelAccessPolicy, ZitadelEmailService, ZitadelPasswordService, ZitadelUsersService, ZitadelAddHumanService];

export { ZITADEL_FACE, ZITADEL_PATH_PREFIX } from './zitadel.face';

export { ZitadelErrorFilter, ZITADEL_ERROR_MAP, ZITADEL_ERROR_DETAIL_TYPE } from './zitadel-error.filter';
export type { ZitadelErrorBody } from './zitadel-error.filter';
export { GrpcCode } from './zitadel-errors';

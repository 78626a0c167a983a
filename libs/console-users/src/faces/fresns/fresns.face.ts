import type { ConsoleFace } from '../console-face';
import { FresnsAccountController } from './fresns-account.controller';
import { FresnsCommonController } from './fresns-common.controller';
import { FresnsErrorFilter } from './fresns-error.filter';

/** Path prefixes of the Fresns face. */
export const FRESNS_PATH_PREFIXES = ['/api/v2/'] as const;

/** Fresns' send-verify-code and the account endpoints that consume codes (`/api/v2/…`). */
export const FRESNS_FACE: ConsoleFace = {
  name: 'fresns',
  controllers: [FresnsCommonController, FresnsAccountController],
  filter: FresnsErrorFilter,
  pathPrefixes: FRESNS_PATH_PREFIXES,
};

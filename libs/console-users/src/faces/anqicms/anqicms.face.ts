import type { ConsoleFace } from '../console-face';
import { AnqiCmsErrorFilter } from './anqicms-error.filter';
import { AnqiCmsController } from './anqicms.controller';

/** Path prefixes of the AnqiCMS face: its API and the pages its mailed links open. */
export const ANQICMS_PATH_PREFIXES = ['/api/verify/', '/api/password/', '/account/password/'] as const;

/** AnqiCMS' mailed verify and reset links. */
export const ANQICMS_FACE: ConsoleFace = {
  name: 'anqicms',
  controllers: [AnqiCmsController],
  filter: AnqiCmsErrorFilter,
  pathPrefixes: ANQICMS_PATH_PREFIXES,
};

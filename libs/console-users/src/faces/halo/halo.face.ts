import type { ConsoleFace } from '../console-face';
import { AuditEventsController } from './audit-events.controller';
import { CoreRolesController } from './core-roles.controller';
import { CoreUsersController } from './core-users.controller';
import { DeliveriesController } from './deliveries.controller';
import { EmailVerificationController } from './email-verification.controller';
import { HaloPasswordResetController } from './halo-password-reset.controller';
import { HaloProblemFilter } from './halo-problem.filter';
import { HaloRecoveryController } from './halo-recovery.controller';
import { HaloUserSecurityController } from './halo-user-security.controller';
import { HaloUsersController } from './halo-users.controller';
import { PersonalAccessTokensController } from './personal-access-tokens.controller';

/** Path prefixes of Halo's APIs (Halo's problem filter also answers every path no face claims). */
export const HALO_PATH_PREFIXES = ['/apis/', '/api/v1alpha1/'] as const;

/** Halo's console and core user APIs, PATs, and the console's audit and delivery views. */
export const HALO_FACE: ConsoleFace = {
  name: 'halo',
  controllers: [
    HaloUsersController,
    HaloUserSecurityController,
    CoreUsersController,
    CoreRolesController,
    EmailVerificationController,
    HaloRecoveryController,
    HaloPasswordResetController,
    PersonalAccessTokensController,
    DeliveriesController,
    AuditEventsController,
  ],
  filter: HaloProblemFilter,
  pathPrefixes: HALO_PATH_PREFIXES,
};

import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../../auth/principal';
import { RolesService } from '../../rbac/roles.service';
import { RoleWritesService } from '../../rbac/role-writes.service';
import type { HaloRole } from './dto/halo-role.dto';
import { RoleWriteDto } from './dto/role-write.dto';
import { patchedBody } from './patched-body';
import { toHaloRole, toRoleDraft } from './role.mapper';

/** The core `Role` JSON patch: the patch applies to the role as GetRole shows it, then UpdateRole's rules hold. */
@Injectable()
export class HaloCoreRolesService {
  constructor(
    private readonly roles: RolesService,
    private readonly writes: RoleWritesService,
  ) {}

  /**
   * Applies an RFC 6902 patch to the role as a client reads it and saves the result as UpdateRole
   * would: built-in roles stay read-only, the caller may grant only what it holds, and the
   * optimistic lock on `metadata.version` holds (a patch may `test` or set it).
   */
  async patch(actor: UserPrincipal, name: string, body: unknown, ip: string): Promise<HaloRole> {
    const patched = await patchedBody(RoleWriteDto, body, async () => toHaloRole(await this.roles.get(name)), 'role');
    return toHaloRole(await this.writes.update(actor, name, toRoleDraft(patched), ip));
  }
}

import { Body, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HaloController } from './halo-controller.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { GeneratePatDto } from './dto/generate-pat.dto';
import type { HaloPersonalAccessToken } from './dto/halo-pat.dto';
import { PersonalAccessTokensService } from '../../auth/personal-access-tokens.service';
import { toHaloPat, toPatDraft } from './pat.mapper';
import { Principal, requireUser } from '../../auth/principal';
import { PersonalAccessTokenSchema } from './openapi/halo-schemas';
import { HaloErrors } from './openapi/halo-errors';

const spec = { apiGroup: ApiGroups.ucSecurity, resource: 'personalaccesstokens' };

/** Halo's `PersonalAccessTokenV1alpha1Uc` operations: a user's own tokens. */
@ApiTags('PersonalAccessTokenV1alpha1Uc')
@HaloController('apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Post()
  @ApiOperation({ operationId: 'GeneratePat', summary: 'Generate a personal access token (shown once)' })
  @ApiCreatedResponse({ type: PersonalAccessTokenSchema, description: 'The token value is in metadata.annotations["security.halo.run/access-token"], this once only' })
  @HaloErrors(400, 401, 403)
  @RequiresPermission(spec)
  async generate(@CurrentPrincipal() principal: Principal, @Body() body: GeneratePatDto): Promise<HaloPersonalAccessToken> {
    return toHaloPat(await this.tokens.generate(requireUser(principal), toPatDraft(body.spec)));
  }

  @Get()
  @ApiOperation({ operationId: 'ObtainPats', summary: "List the caller's personal access tokens" })
  @ApiOkResponse({ type: [PersonalAccessTokenSchema] })
  @HaloErrors(401, 403)
  @RequiresPermission(spec)
  async list(@CurrentPrincipal() principal: Principal): Promise<HaloPersonalAccessToken[]> {
    return (await this.tokens.list(requireUser(principal))).map(toHaloPat);
  }

  @Get(':name')
  @ApiOperation({ operationId: 'ObtainPat', summary: 'Get one personal access token' })
  @ApiOkResponse({ type: PersonalAccessTokenSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ ...spec, nameParam: 'name' })
  async get(@CurrentPrincipal() principal: Principal, @Param('name') name: string): Promise<HaloPersonalAccessToken> {
    return toHaloPat(await this.tokens.get(requireUser(principal), name));
  }

  @Put(':name/actions/revocation')
  @ApiOperation({ operationId: 'RevokePat', summary: 'Revoke a personal access token' })
  @ApiOkResponse({ type: PersonalAccessTokenSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ ...spec, subresource: 'actions', nameParam: 'name' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('name') name: string): Promise<HaloPersonalAccessToken> {
    return toHaloPat(await this.tokens.revoke(requireUser(principal), name));
  }

  @Put(':name/actions/restoration')
  @ApiOperation({ operationId: 'RestorePat', summary: 'Restore a revoked personal access token' })
  @ApiOkResponse({ type: PersonalAccessTokenSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ ...spec, subresource: 'actions', nameParam: 'name' })
  async restore(@CurrentPrincipal() principal: Principal, @Param('name') name: string): Promise<HaloPersonalAccessToken> {
    return toHaloPat(await this.tokens.restore(requireUser(principal), name));
  }

  @Delete(':name')
  @ApiOperation({ operationId: 'DeletePat', summary: 'Delete a personal access token' })
  @ApiOkResponse({ type: PersonalAccessTokenSchema })
  @HaloErrors(401, 403, 404)
  @RequiresPermission({ ...spec, nameParam: 'name' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('name') name: string): Promise<HaloPersonalAccessToken> {
    return toHaloPat(await this.tokens.delete(requireUser(principal), name));
  }
}

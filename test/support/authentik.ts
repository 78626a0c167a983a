import { Configuration, CoreApi, ResponseError, StagesApi } from '@goauthentik/api';
import type { HaloClients } from './http';

/** The real authentik clients (`@goauthentik/api`) against our server, with a bearer token. */
export function authentikClients(baseUrl: string, token?: string, headers: Record<string, string> = {}) {
  const configuration = new Configuration({
    basePath: `${baseUrl}/api/v3`,
    ...(token ? { accessToken: token } : {}),
    headers,
  });
  return { core: new CoreApi(configuration), stages: new StagesApi(configuration) };
}

export type AuthentikClients = ReturnType<typeof authentikClients>;

/** An error answer of the authentik client: status, parsed JSON body and headers. */
export interface AuthentikFailure {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Awaits a call that must fail with an HTTP error and returns it (throws if it succeeded). */
export async function authentikFailure(call: Promise<unknown>): Promise<AuthentikFailure> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ResponseError) {
      const text = await error.response.text();
      return { status: error.response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: error.response.headers };
    }
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Creates a PAT for the logged-in Halo clients with the given roles and returns the token. */
export async function createPat(halo: HaloClients, roles: string[], name = 'recovery tests'): Promise<string> {
  const created = await halo.uc.security.personalAccessToken.generatePat({
    personalAccessToken: {
      apiVersion: 'security.halo.run/v1alpha1',
      kind: 'PersonalAccessToken',
      metadata: { name: '', generateName: 'pat-' },
      spec: { name, roles, scopes: [] } as never,
    },
  });
  const token = created.data.metadata.annotations?.['security.halo.run/access-token'];
  if (!token) {
    throw new Error('no token in the GeneratePat answer');
  }
  return token;
}

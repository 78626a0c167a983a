import axios, { type AxiosInstance } from 'axios';
import {
  PersonalAccessTokenV1alpha1UcApi,
  RoleV1alpha1Api,
  UserV1alpha1Api,
  UserV1alpha1ConsoleApi,
} from '@halo-dev/api-client';

/** Halo's own client over a session of its own, to check the server's state after each UI action. */
export interface AdminApi {
  http: AxiosInstance;
  users: UserV1alpha1ConsoleApi;
  coreUsers: UserV1alpha1Api;
  roles: RoleV1alpha1Api;
  tokens: PersonalAccessTokenV1alpha1UcApi;
}

export function clientsFor(http: AxiosInstance, baseUrl: string): AdminApi {
  return {
    http,
    users: new UserV1alpha1ConsoleApi(undefined, baseUrl, http as never),
    coreUsers: new UserV1alpha1Api(undefined, baseUrl, http as never),
    roles: new RoleV1alpha1Api(undefined, baseUrl, http as never),
    tokens: new PersonalAccessTokenV1alpha1UcApi(undefined, baseUrl, http as never),
  };
}

/** Logs in over HTTP and keeps the SESSION cookie. */
export async function logInApi(baseUrl: string, username: string, password: string): Promise<AdminApi> {
  const login = await axios.post(`${baseUrl}/login`, new URLSearchParams({ username, password }), {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const cookie = (login.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
  const http = axios.create({ baseURL: baseUrl, headers: { 'X-Requested-With': 'XMLHttpRequest', Cookie: cookie } });
  return clientsFor(http, baseUrl);
}

/** A client authenticated with a bearer token (PAT). */
export function bearerApi(baseUrl: string, token: string): AdminApi {
  return clientsFor(axios.create({ baseURL: baseUrl, headers: { Authorization: `Bearer ${token}` } }), baseUrl);
}

export async function createUser(api: AdminApi, name: string, password: string, roles: string[] = []): Promise<void> {
  await api.users.createUser({ createUserRequest: { name, email: `${name}@example.com`, displayName: name, password, roles } });
}

import { request as httpRequest } from 'node:http';
import axios, { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import {
  createConsoleApiClient,
  createCoreApiClient,
  createUcApiClient,
} from '@halo-dev/api-client';

/** An axios instance that behaves like the Halo console SPA: XHR header, cookies kept. */
export function consoleAxios(baseUrl: string, extraHeaders: Record<string, string> = {}): AxiosInstance & { cookies: Map<string, string> } {
  const cookies = new Map<string, string>();
  const instance = axios.create({
    baseURL: baseUrl,
    headers: { 'X-Requested-With': 'XMLHttpRequest', ...extraHeaders },
    maxRedirects: 0,
  }) as AxiosInstance & { cookies: Map<string, string> };
  instance.cookies = cookies;
  instance.interceptors.request.use((request) => {
    if (cookies.size > 0) {
      request.headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    return request;
  });
  const remember = (response: AxiosResponse | undefined) => {
    const setCookie = response?.headers['set-cookie'];
    for (const line of setCookie ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) {
        cookies.delete(name);
      } else {
        cookies.set(name, value);
      }
    }
  };
  instance.interceptors.response.use(
    (response) => {
      remember(response);
      return response;
    },
    (error: AxiosError) => {
      remember(error.response);
      return Promise.reject(error);
    },
  );
  return instance;
}

/** An axios instance that keeps cookies. */
export type CookieAxios = AxiosInstance & { cookies: Map<string, string> };

/** The real Halo clients on one axios instance. */
export function haloClients(http: CookieAxios) {
  return {
    http,
    console: createConsoleApiClient(http as never),
    core: createCoreApiClient(http as never),
    uc: createUcApiClient(http as never),
  };
}

export type HaloClients = ReturnType<typeof haloClients>;

/** Logs in through `POST /login` as the console does and returns the clients holding the session. */
export async function loginAs(baseUrl: string, username: string, password: string): Promise<HaloClients> {
  const http = consoleAxios(baseUrl);
  await http.post('/login', new URLSearchParams({ username, password }).toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return haloClients(http);
}

/** Clients sending a PAT as Bearer. */
export function withToken(baseUrl: string, token: string): HaloClients {
  return haloClients(consoleAxios(baseUrl, { Authorization: `Bearer ${token}` }));
}

/** Clients with no credentials. */
export function anonymous(baseUrl: string): HaloClients {
  return haloClients(consoleAxios(baseUrl));
}

/** Awaits a call that must fail and returns the error response (throws if it succeeded). */
export async function failure(call: Promise<unknown>): Promise<AxiosResponse> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AxiosError && error.response) {
      return error.response;
    }
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A raw HTTP answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends exactly the given headers and body with node:http, for requests HTTP clients will not
 * make (a body without a Content-Type, for one).
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

import axios, { AxiosInstance, AxiosResponse } from 'axios';

/** A raw answer: status, headers and the body exactly as sent (for byte-for-byte comparisons). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
}

/**
 * A client for the public faces (Fresns, AnqiCMS) as their front ends call them: JSON bodies,
 * every answer returned (no throwing on status), the body kept as raw text. `ip` goes out as
 * X-Forwarded-For, which the test server trusts from loopback, so each test has its own per-IP
 * buckets.
 */
export class PublicApi {
  readonly http: AxiosInstance;

  constructor(
    baseUrl: string,
    private readonly defaults: { ip?: string; headers?: Record<string, string> } = {},
  ) {
    this.http = axios.create({
      baseURL: baseUrl,
      validateStatus: () => true,
      transformResponse: (data) => data,
      // Bodies go out exactly as given (axios would re-encode a string that is not valid JSON).
      transformRequest: (data) => data,
      responseType: 'text',
      maxRedirects: 0,
    });
  }

  /** The same client with a session cookie or other headers. */
  with(headers: Record<string, string>): PublicApi {
    return new PublicApi(this.http.defaults.baseURL!, { ...this.defaults, headers: { ...this.defaults.headers, ...headers } });
  }

  /** The same client from another address. */
  from(ip: string): PublicApi {
    return new PublicApi(this.http.defaults.baseURL!, { ...this.defaults, ip });
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const response = await this.http.request({
      method,
      url: path,
      data: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.defaults.ip ? { 'X-Forwarded-For': this.defaults.ip } : {}),
        ...this.defaults.headers,
        ...headers,
      },
    });
    return raw(response);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<RawAnswer> {
    return this.call('POST', path, body, headers);
  }

  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<RawAnswer> {
    return this.call('PUT', path, body, headers);
  }

  get(path: string, headers?: Record<string, string>): Promise<RawAnswer> {
    return this.call('GET', path, undefined, headers);
  }
}

function raw(response: AxiosResponse): RawAnswer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const body = typeof response.data === 'string' ? response.data : String(response.data ?? '');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers, body, json };
}

/** Logs in through `POST /login` (JSON) and returns the `Cookie` header of the session. */
export async function sessionCookie(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await axios.post(`${baseUrl}/login`, { username, password }, { headers: { Accept: 'application/json' }, validateStatus: () => true });
  if (response.status !== 200) {
    throw new Error(`login of ${username} failed with ${response.status}`);
  }
  const cookie = (response.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
  return cookie!.split(';')[0]!;
}

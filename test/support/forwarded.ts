import type { AxiosResponse } from 'axios';
import { consoleAxios, failure, haloClients, HaloClients } from './http';

/**
 * Logs in as the console does, every request of the returned clients carrying
 * `X-Forwarded-For: <forwardedFor>` (as a proxy in front of the server would add it).
 */
export async function loginVia(baseUrl: string, username: string, password: string, forwardedFor?: string): Promise<HaloClients> {
  const http = consoleAxios(baseUrl, forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {});
  await http.post('/login', new URLSearchParams({ username, password }).toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return haloClients(http);
}

/** The status of a call whether it succeeded or failed, and the response. */
export async function outcome(call: Promise<AxiosResponse>): Promise<AxiosResponse> {
  try {
    return await call;
  } catch {
    return failure(call);
  }
}

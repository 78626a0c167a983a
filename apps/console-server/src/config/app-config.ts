import { isAbsolute, resolve } from 'node:path';
import { CONSOLE_UI_DIR, parseTrustProxy, TrustProxySetting } from '../console-users';

/**
 * PostgreSQL pool limits. Every wait has an end, so a database that is down or frozen costs a
 * request at most about two seconds (then the circuit breaker answers 503 at once).
 */
export interface PostgresPoolConfig {
  /** DATABASE_POOL_SIZE: connections per instance (default 10). */
  size: number;
  /** DATABASE_CONNECT_TIMEOUT_MS: to open a connection, or to wait for a free one (default 1500). */
  connectTimeoutMs: number;
  /**
   * DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL's `statement_timeout` (default 1500). The client
   * gives up 250 ms later on its own, for a server that no longer answers at all.
   */
  statementTimeoutMs: number;
  /** DATABASE_IDLE_TIMEOUT_MS: an unused connection is closed after this (default 30000). */
  idleTimeoutMs: number;
}

/** Where the data lives. `pool` is absent only where a caller builds the settings itself (tests). */
export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string; pool?: PostgresPoolConfig };

/** The values NODE_ENV may take; anything else stops the boot (a typo must not mean development). */
const NODE_ENVS = ['production', 'development', 'test'] as const;

/** The server's configuration, parsed once from the environment at boot. */
export interface AppConfig {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  database: DatabaseConfig;
  smtpUrl?: string;
  mailFrom: string;
  redisUrl?: string;
  /** Explicit APP_SECRET; when absent (not in production) one is generated into DATA_DIR. */
  appSecret?: string;
  admin: { username: string; email: string; password?: string };
  dataDir: string;
  trustProxy: TrustProxySetting;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  basicAuth: boolean;
  smsWebhookUrl?: string;
  /** PUBLIC_EXISTENCE_ERRORS: public code endpoints say whether an address has an account (Fresns/AnqiCMS originals). */
  publicExistenceErrors: boolean;
  /** CONSOLE_UI_DIR: the built console served at /console/ (default: the library's build folder). */
  consoleUiDir: string;
  /** REMEMBER_ME_DAYS: lifetime of a "remember me" login session (default 30). */
  rememberMeDays: number;
  /**
   * PASSWORD_HASHING_CONCURRENCY, PASSWORD_HASHING_MAX_QUEUED and PASSWORD_HASHING_CPU_SHARE:
   * argon2id runs at once, waiting, and the share of a slot's time spent hashing; unset → the
   * library's defaults (1 on ≤ 2 cores, else cores - 1 up to 3; 64 waiting; 0.5 on ≤ 2 cores, else 1).
   */
  passwordHashing: { concurrency?: number; maxQueued?: number; cpuShare?: number };
  /** Prometheus metrics: METRICS_ENABLED (on the main port, behind a role) and METRICS_PORT/METRICS_HOST (a listener of its own). */
  metrics: MetricsConfig;
  /** IDLE_MEMORY_TRIM: hand the heap a busy spell grew back to the system once the server is quiet (default true). */
  idleMemoryTrim: boolean;
}

/** Where Prometheus metrics are served; nothing is collected when both are off. */
export interface MetricsConfig {
  /** `GET /actuator/prometheus` on the main port, for callers holding `role-template-view-metrics`. */
  endpoint: boolean;
  /** A separate listener answering `GET /actuator/prometheus` without authentication (its network is the protection). */
  listener?: { host: string; port: number };
}

/** A configuration value that stops the boot; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const USERNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Parses and validates the environment. Nothing else in the server reads `process.env`. */
export function parseConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig {
  const nodeEnv = parseNodeEnv(env.NODE_ENV);
  const port = parsePort(env.PORT);
  const host = nonEmpty(env, 'HOST') ?? '0.0.0.0';
  const dataDir = toAbsolute(nonEmpty(env, 'DATA_DIR') ?? './data', cwd);
  const publicUrl = parseUrl('PUBLIC_URL', nonEmpty(env, 'PUBLIC_URL') ?? `http://localhost:${port}`, ['http:', 'https:']);
  if (new URL(publicUrl).search || new URL(publicUrl).hash) {
    throw new ConfigError('PUBLIC_URL', 'must not have a query or fragment');
  }
  const database = parseDatabase(nonEmpty(env, 'DATABASE_URL') ?? 'sqlite:./data/console.sqlite', cwd, dataDir, env.DATA_DIR !== undefined);
  if (database.type === 'postgres') {
    database.pool = {
      size: parseInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
      connectTimeoutMs: parseInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 1500, 100, 600_000),
      statementTimeoutMs: parseInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 1500, 100, 3_600_000),
      idleTimeoutMs: parseInteger(env, 'DATABASE_IDLE_TIMEOUT_MS', 30_000, 1000, 86_400_000),
    };
  }
  const smtpUrl = optionalUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const redisUrl = optionalUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const smsWebhookUrl = optionalUrl(env, 'SMS_WEBHOOK_URL', ['http:', 'https:']);
  const mailFrom = nonEmpty(env, 'MAIL_FROM') ?? 'Console <no-reply@localhost>';
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be one address such as "Console <no-reply@example.com>"');
  }

  const appSecret = nonEmpty(env, 'APP_SECRET');
  if (appSecret !== undefined && Buffer.byteLength(appSecret, 'utf8') < 32) {
    throw new ConfigError('APP_SECRET', 'must be at least 32 characters (e.g. `openssl rand -base64 48`)');
  }
  if (nodeEnv === 'production' && appSecret === undefined) {
    throw new ConfigError('APP_SECRET', 'is required when NODE_ENV=production');
  }

  const username = nonEmpty(env, 'ADMIN_USERNAME') ?? 'admin';
  if (username.length > 63 || !USERNAME.test(username)) {
    throw new ConfigError('ADMIN_USERNAME', 'must be lower-case letters, digits, "-" and "." (at most 63)');
  }
  const adminPassword = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (adminPassword !== undefined && ([...adminPassword].length < 8 || [...adminPassword].length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 8 to 128 characters');
  }
  const adminEmail = nonEmpty(env, 'ADMIN_EMAIL') ?? 'admin@localhost';
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail) || adminEmail.length > 254) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  }

  let trustProxy: TrustProxySetting;
  try {
    trustProxy = parseTrustProxy(env.TRUST_PROXY);
  } catch (error) {
    throw new ConfigError('TRUST_PROXY', `is not a hop count or a list of addresses/CIDRs (${(error as Error).message})`);
  }

  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    nodeEnv,
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    database,
    smtpUrl,
    mailFrom,
    redisUrl,
    appSecret,
    admin: { username, email: adminEmail, password: adminPassword },
    dataDir,
    trustProxy,
    logLevel: logLevel as AppConfig['logLevel'],
    basicAuth: parseBoolean(env, 'BASIC_AUTH_ENABLED', false),
    smsWebhookUrl,
    publicExistenceErrors: parseBoolean(env, 'PUBLIC_EXISTENCE_ERRORS', false),
    consoleUiDir: toAbsolute(nonEmpty(env, 'CONSOLE_UI_DIR') ?? CONSOLE_UI_DIR, cwd),
    rememberMeDays: parseRememberMeDays(env.REMEMBER_ME_DAYS),
    passwordHashing: {
      concurrency: optionalInteger(env, 'PASSWORD_HASHING_CONCURRENCY', 1, 256),
      maxQueued: optionalInteger(env, 'PASSWORD_HASHING_MAX_QUEUED', 0, 100_000),
      cpuShare: optionalShare(env, 'PASSWORD_HASHING_CPU_SHARE'),
    },
    metrics: parseMetrics(env, port),
    idleMemoryTrim: parseBoolean(env, 'IDLE_MEMORY_TRIM', true),
  };
}

function parseNodeEnv(raw: string | undefined): AppConfig['nodeEnv'] {
  const value = raw?.trim() ?? '';
  if (value === '') {
    return 'development';
  }
  if (!(NODE_ENVS as readonly string[]).includes(value)) {
    throw new ConfigError('NODE_ENV', `must be one of ${NODE_ENVS.join(', ')} (got "${raw}")`);
  }
  return value as AppConfig['nodeEnv'];
}

function parseInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

/** A whole number within bounds, or undefined when unset (the library then picks its default). */
function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  return nonEmpty(env, name) === undefined ? undefined : parseInteger(env, name, min, min, max);
}

/** A decimal above 0 and at most 1, or undefined when unset (the library then picks its default). */
function optionalShare(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (!/^(0?\.\d+|1(\.0*)?|0)$/.test(raw) || !(value > 0 && value <= 1)) {
    throw new ConfigError(name, `must be a decimal above 0 and at most 1, such as 0.5 (got "${raw}")`);
  }
  return value;
}

function parseMetrics(env: NodeJS.ProcessEnv, mainPort: number): MetricsConfig {
  const endpoint = parseBoolean(env, 'METRICS_ENABLED', false);
  const rawPort = nonEmpty(env, 'METRICS_PORT');
  if (rawPort === undefined) {
    if (nonEmpty(env, 'METRICS_HOST') !== undefined) {
      throw new ConfigError('METRICS_HOST', 'needs METRICS_PORT (the metrics listener is off without it)');
    }
    return { endpoint };
  }
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 0 || port > 65535) {
    throw new ConfigError('METRICS_PORT', `must be an integer between 0 and 65535 (got "${rawPort}")`);
  }
  if (port !== 0 && port === mainPort) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${mainPort})`);
  }
  return { endpoint, listener: { host: nonEmpty(env, 'METRICS_HOST') ?? '127.0.0.1', port } };
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') {
    return 8090;
  }
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be an integer between 0 and 65535 (got "${raw}")`);
  }
  return port;
}

function parseRememberMeDays(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') {
    return 30;
  }
  const days = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || days < 1 || days > 365) {
    throw new ConfigError('REMEMBER_ME_DAYS', `must be a whole number of days between 1 and 365 (got "${raw}")`);
  }
  return days;
}

function parseUrl(name: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}`);
  }
  return url.toString();
}

function optionalUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env, name);
  return raw === undefined ? undefined : parseUrl(name, raw, protocols);
}

function parseDatabase(raw: string, cwd: string, dataDir: string, dataDirGiven: boolean): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') {
      throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/console.sqlite');
    }
    if (path === ':memory:') {
      return { type: 'sqlite', path };
    }
    // The default file follows DATA_DIR when only DATA_DIR was moved.
    const resolved = raw === 'sqlite:./data/console.sqlite' && dataDirGiven ? resolve(dataDir, 'console.sqlite') : toAbsolute(path, cwd);
    return { type: 'sqlite', path: resolved };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { type: 'postgres', url: raw };
  }
  throw new ConfigError('DATABASE_URL', 'must start with sqlite: or postgres://');
}

function parseBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) {
    return fallback;
  }
  if (['1', 'true', 'yes', 'on'].includes(raw)) {
    return true;
  }
  if (['0', 'false', 'no', 'off'].includes(raw)) {
    return false;
  }
  throw new ConfigError(name, 'must be true or false');
}

function toAbsolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

import { CONSOLE_UI_DIR } from '../console-users';
import { AppConfig, ConfigError, parseConfig } from './app-config';

const CWD = '/srv/console';
const SECRET = 'x'.repeat(32);

function sut(env: Record<string, string>): AppConfig {
  return parseConfig(env, CWD);
}

/** Asserts that `env` stops the boot with a ConfigError naming `variable`. */
function assertRefused(env: Record<string, string>, variable: string): void {
  const boot = () => sut(env);
  expect(boot).toThrow(ConfigError);
  expect(boot).toThrow(expect.objectContaining({ variable, message: expect.stringMatching(new RegExp(`\\b${variable}\\b`)) }));
  expect(boot).not.toThrow(/\n/); // one line
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(sut({})).toEqual({
      nodeEnv: 'development',
      port: 8090,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8090',
      database: { type: 'sqlite', path: '/srv/console/data/console.sqlite' },
      smtpUrl: undefined,
      mailFrom: 'Console <no-reply@localhost>',
      redisUrl: undefined,
      appSecret: undefined,
      admin: { username: 'admin', email: 'admin@localhost', password: undefined },
      dataDir: '/srv/console/data',
      trustProxy: false,
      logLevel: 'info',
      basicAuth: false,
      smsWebhookUrl: undefined,
      publicExistenceErrors: false,
      consoleUiDir: CONSOLE_UI_DIR,
      rememberMeDays: 30,
      passwordHashing: { concurrency: undefined, maxQueued: undefined, cpuShare: undefined },
      metrics: { endpoint: false },
      idleMemoryTrim: true,
    } satisfies AppConfig);
  });

  it('IDLE_MEMORY_TRIM: on unless turned off, and a value that is not a yes or no stops the boot', () => {
    expect(sut({ IDLE_MEMORY_TRIM: 'false' }).idleMemoryTrim).toBe(false);
    expect(sut({ IDLE_MEMORY_TRIM: 'on' }).idleMemoryTrim).toBe(true);
    assertRefused({ IDLE_MEMORY_TRIM: 'sometimes' }, 'IDLE_MEMORY_TRIM');
  });

  describe('METRICS_ENABLED, METRICS_PORT, METRICS_HOST', () => {
    it('serves metrics behind a role on the main port, and on a listener of its own (loopback by default)', () => {
      expect(sut({ METRICS_ENABLED: 'true' }).metrics).toEqual({ endpoint: true });
      expect(sut({ METRICS_PORT: '9464' }).metrics).toEqual({ endpoint: false, listener: { host: '127.0.0.1', port: 9464 } });
      expect(sut({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_ENABLED: 'yes' }).metrics).toEqual({
        endpoint: true,
        listener: { host: '0.0.0.0', port: 9464 },
      });
    });

    it('refuses a bad flag, a bad port, the main port, and a host without a port', () => {
      assertRefused({ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED');
      assertRefused({ METRICS_PORT: 'nine' }, 'METRICS_PORT');
      assertRefused({ METRICS_PORT: '70000' }, 'METRICS_PORT');
      assertRefused({ PORT: '9000', METRICS_PORT: '9000' }, 'METRICS_PORT');
      assertRefused({ METRICS_HOST: '0.0.0.0' }, 'METRICS_HOST');
    });
  });

  describe('CONSOLE_UI_DIR', () => {
    it('defaults to the library build folder and resolves a relative path against the working directory', () => {
      expect(CONSOLE_UI_DIR).toMatch(/[\\/]libs[\\/]console-users[\\/]console-ui$/);
      expect(sut({ CONSOLE_UI_DIR: './ui' }).consoleUiDir).toBe('/srv/console/ui');
    });
  });

  describe('REMEMBER_ME_DAYS', () => {
    it('accepts 1 to 365 days', () => {
      expect(sut({ REMEMBER_ME_DAYS: '7' }).rememberMeDays).toBe(7);
    });

    for (const bad of ['0', '366', '1.5', 'week']) {
      it(`refuses "${bad}"`, () => assertRefused({ REMEMBER_ME_DAYS: bad }, 'REMEMBER_ME_DAYS'));
    }
  });

  describe('PASSWORD_HASHING_CONCURRENCY, PASSWORD_HASHING_MAX_QUEUED, PASSWORD_HASHING_CPU_SHARE', () => {
    it('are left to the library when unset, and taken when in range', () => {
      expect(sut({ PASSWORD_HASHING_CONCURRENCY: '2', PASSWORD_HASHING_MAX_QUEUED: '0', PASSWORD_HASHING_CPU_SHARE: '0.25' }).passwordHashing).toEqual({
        concurrency: 2,
        maxQueued: 0,
        cpuShare: 0.25,
      });
      expect(sut({ PASSWORD_HASHING_CPU_SHARE: '1' }).passwordHashing.cpuShare).toBe(1);
      expect(sut({ PASSWORD_HASHING_CONCURRENCY: ' ' }).passwordHashing).toEqual({ concurrency: undefined, maxQueued: undefined, cpuShare: undefined });
    });

    for (const bad of ['0', '257', '1.5', 'many', '-1']) {
      it(`refuses the concurrency "${bad}"`, () => assertRefused({ PASSWORD_HASHING_CONCURRENCY: bad }, 'PASSWORD_HASHING_CONCURRENCY'));
    }
    for (const bad of ['-1', '100001', '2.5', 'lots']) {
      it(`refuses the queue "${bad}"`, () => assertRefused({ PASSWORD_HASHING_MAX_QUEUED: bad }, 'PASSWORD_HASHING_MAX_QUEUED'));
    }
    for (const bad of ['0', '0.0', '1.5', '-0.5', 'half', '50%', '1e-1']) {
      it(`refuses the CPU share "${bad}"`, () => assertRefused({ PASSWORD_HASHING_CPU_SHARE: bad }, 'PASSWORD_HASHING_CPU_SHARE'));
    }
  });

  it('treats empty and blank values as unset', () => {
    expect(sut({ PORT: '', HOST: ' ', PUBLIC_URL: '', DATABASE_URL: '', LOG_LEVEL: '', TRUST_PROXY: '', ADMIN_PASSWORD: '' })).toEqual(sut({}));
  });

  describe('NODE_ENV', () => {
    it('is production, development or test; unset is development', () => {
      expect(sut({ NODE_ENV: 'production', APP_SECRET: SECRET }).nodeEnv).toBe('production');
      expect(sut({ NODE_ENV: 'test' }).nodeEnv).toBe('test');
      expect(sut({ NODE_ENV: 'development' }).nodeEnv).toBe('development');
      expect(sut({}).nodeEnv).toBe('development');
    });

    for (const typo of ['prod', 'staging', 'Production', 'dev']) {
      // A typo must not quietly run production as development with a generated secret.
      it(`refuses "${typo}"`, () => assertRefused({ NODE_ENV: typo, APP_SECRET: SECRET }, 'NODE_ENV'));
    }
  });

  describe('PORT', () => {
    it('accepts 0 to 65535', () => {
      expect(sut({ PORT: '0' }).port).toBe(0);
      expect(sut({ PORT: '65535' }).port).toBe(65535);
      expect(sut({ PORT: ' 3000 ' }).port).toBe(3000);
    });

    for (const bad of ['65536', '-1', '80.5', 'http', '1e3', '0x50']) {
      it(`refuses "${bad}"`, () => assertRefused({ PORT: bad }, 'PORT'));
    }

    it('moves the default PUBLIC_URL along', () => {
      expect(sut({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    });
  });

  describe('HOST', () => {
    it('is taken as given', () => {
      expect(sut({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
      expect(sut({ HOST: '::' }).host).toBe('::');
    });
  });

  describe('PUBLIC_URL', () => {
    it('accepts http and https, keeps a path, drops trailing slashes', () => {
      expect(sut({ PUBLIC_URL: 'https://console.example.com/' }).publicUrl).toBe('https://console.example.com');
      expect(sut({ PUBLIC_URL: 'https://example.com/console/' }).publicUrl).toBe('https://example.com/console');
      expect(sut({ PUBLIC_URL: 'http://10.0.0.5:8090' }).publicUrl).toBe('http://10.0.0.5:8090');
    });

    for (const bad of ['console.example.com', 'ftp://example.com', 'https://example.com/?next=1', 'https://example.com/#top']) {
      it(`refuses "${bad}"`, () => assertRefused({ PUBLIC_URL: bad }, 'PUBLIC_URL'));
    }
  });

  describe('DATA_DIR', () => {
    it('resolves a relative directory against the working directory', () => {
      expect(sut({ DATA_DIR: 'var' }).dataDir).toBe('/srv/console/var');
      expect(sut({ DATA_DIR: '/var/lib/console' }).dataDir).toBe('/var/lib/console');
    });

    it('takes the default SQLite file along', () => {
      expect(sut({ DATA_DIR: '/var/lib/console' }).database).toEqual({ type: 'sqlite', path: '/var/lib/console/console.sqlite' });
    });
  });

  describe('DATABASE_URL', () => {
    it('accepts SQLite files, relative, absolute and in memory', () => {
      expect(sut({ DATABASE_URL: 'sqlite:./db/users.sqlite' }).database).toEqual({ type: 'sqlite', path: '/srv/console/db/users.sqlite' });
      expect(sut({ DATABASE_URL: 'sqlite:/tmp/users.sqlite' }).database).toEqual({ type: 'sqlite', path: '/tmp/users.sqlite' });
      expect(sut({ DATABASE_URL: 'sqlite:///tmp/users.sqlite' }).database).toEqual({ type: 'sqlite', path: '/tmp/users.sqlite' });
      expect(sut({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ type: 'sqlite', path: ':memory:' });
    });

    it('an explicit SQLite file is not moved by DATA_DIR', () => {
      expect(sut({ DATA_DIR: '/var/lib/console', DATABASE_URL: 'sqlite:./other.sqlite' }).database).toEqual({
        type: 'sqlite',
        path: '/srv/console/other.sqlite',
      });
    });

    it('accepts postgres:// and postgresql://', () => {
      const url = 'postgres://console:s3cret@db.internal:5432/console';
      expect(sut({ DATABASE_URL: url }).database).toEqual({
        type: 'postgres',
        url,
        pool: { size: 10, connectTimeoutMs: 1500, statementTimeoutMs: 1500, idleTimeoutMs: 30_000 },
      });
      expect(sut({ DATABASE_URL: 'postgresql://db/console' }).database.type).toBe('postgres');
    });

    it('takes the pool size and timeouts from DATABASE_POOL_SIZE and DATABASE_*_TIMEOUT_MS', () => {
      const env = {
        DATABASE_URL: 'postgres://db/console',
        DATABASE_POOL_SIZE: '25',
        DATABASE_CONNECT_TIMEOUT_MS: '800',
        DATABASE_STATEMENT_TIMEOUT_MS: '5000',
        DATABASE_IDLE_TIMEOUT_MS: '60000',
      };
      const database = sut(env).database;
      expect(database.type === 'postgres' && database.pool).toEqual({ size: 25, connectTimeoutMs: 800, statementTimeoutMs: 5000, idleTimeoutMs: 60_000 });
      assertRefused({ ...env, DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE');
      assertRefused({ ...env, DATABASE_STATEMENT_TIMEOUT_MS: '2s' }, 'DATABASE_STATEMENT_TIMEOUT_MS');
      assertRefused({ ...env, DATABASE_CONNECT_TIMEOUT_MS: '-1' }, 'DATABASE_CONNECT_TIMEOUT_MS');
    });

    for (const bad of ['mysql://db/console', 'sqlite:', 'postgres://db:port/x', './console.sqlite']) {
      it(`refuses "${bad}"`, () => assertRefused({ DATABASE_URL: bad }, 'DATABASE_URL'));
    }

    it('never repeats the URL (it may hold a password) in the message', () => {
      const boot = () => sut({ DATABASE_URL: 'postgres://console:hunter2@db:port/x' });
      expect(boot).toThrow(ConfigError);
      expect(boot).not.toThrow(/hunter2/);
    });
  });

  describe('SMTP_URL', () => {
    it('is unset by default (dev mailbox) and accepts smtp and smtps', () => {
      expect(sut({}).smtpUrl).toBe(undefined);
      expect(sut({ SMTP_URL: 'smtp://mail.internal:25' }).smtpUrl).toBe('smtp://mail.internal:25');
      expect(sut({ SMTP_URL: 'smtps://user:pass@mail.example.com:465' }).smtpUrl).toBe('smtps://user:pass@mail.example.com:465');
    });

    for (const bad of ['http://mail.example.com', 'mail.example.com:25']) {
      it(`refuses "${bad}"`, () => assertRefused({ SMTP_URL: bad }, 'SMTP_URL'));
    }
  });

  describe('MAIL_FROM', () => {
    it('accepts one address with or without a name', () => {
      expect(sut({ MAIL_FROM: 'Ops <ops@example.com>' }).mailFrom).toBe('Ops <ops@example.com>');
      expect(sut({ MAIL_FROM: 'ops@example.com' }).mailFrom).toBe('ops@example.com');
    });

    for (const bad of ['Ops', 'ops@example.com\nBcc: victim@example.com']) {
      it(`refuses ${JSON.stringify(bad)}`, () => assertRefused({ MAIL_FROM: bad }, 'MAIL_FROM'));
    }
  });

  describe('REDIS_URL', () => {
    it('is unset by default and accepts redis and rediss', () => {
      expect(sut({}).redisUrl).toBe(undefined);
      expect(sut({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
      expect(sut({ REDIS_URL: 'rediss://cache.example.com:6380' }).redisUrl).toBe('rediss://cache.example.com:6380');
    });

    it('refuses other schemes', () => assertRefused({ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'));
  });

  describe('SMS_WEBHOOK_URL', () => {
    it('is unset by default and accepts http and https', () => {
      expect(sut({}).smsWebhookUrl).toBe(undefined);
      expect(sut({ SMS_WEBHOOK_URL: 'https://sms.example.com/send' }).smsWebhookUrl).toBe('https://sms.example.com/send');
    });

    it('refuses other schemes', () => assertRefused({ SMS_WEBHOOK_URL: 'smtp://sms.example.com' }, 'SMS_WEBHOOK_URL'));
  });

  describe('APP_SECRET', () => {
    it('is optional outside production (generated into DATA_DIR later)', () => {
      expect(sut({}).appSecret).toBe(undefined);
      expect(sut({ APP_SECRET: SECRET }).appSecret).toBe(SECRET);
    });

    it('is required with NODE_ENV=production', () => {
      assertRefused({ NODE_ENV: 'production' }, 'APP_SECRET');
      expect(sut({ NODE_ENV: 'production', APP_SECRET: SECRET }).appSecret).toBe(SECRET);
    });

    it('must be at least 32 bytes, and is never echoed', () => {
      assertRefused({ APP_SECRET: 'too-short-secret' }, 'APP_SECRET');
      expect(() => sut({ APP_SECRET: 'too-short-secret' })).not.toThrow(/too-short-secret/);
    });
  });

  describe('ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_EMAIL', () => {
    it('are taken when valid', () => {
      expect(sut({ ADMIN_USERNAME: 'ops.admin', ADMIN_PASSWORD: 'correct horse', ADMIN_EMAIL: 'ops@example.com' }).admin).toEqual({
        username: 'ops.admin',
        password: 'correct horse',
        email: 'ops@example.com',
      });
    });

    for (const bad of ['Admin', '-admin', 'admin-', 'ad min', 'a'.repeat(64)]) {
      it(`refuses the username "${bad}"`, () => assertRefused({ ADMIN_USERNAME: bad }, 'ADMIN_USERNAME'));
    }

    it('counts the password in code points: 8 to 128', () => {
      expect(sut({ ADMIN_PASSWORD: '🔑🔑🔑🔑🔑🔑🔑🔑' }).admin.password).toBe('🔑🔑🔑🔑🔑🔑🔑🔑');
      expect(sut({ ADMIN_PASSWORD: 'p'.repeat(128) }).admin.password).toBe('p'.repeat(128));
      assertRefused({ ADMIN_PASSWORD: 'seven77' }, 'ADMIN_PASSWORD');
      assertRefused({ ADMIN_PASSWORD: 'p'.repeat(129) }, 'ADMIN_PASSWORD');
    });

    it('never echoes a refused password', () => {
      const boot = () => sut({ ADMIN_PASSWORD: 'short1' });
      expect(boot).toThrow(ConfigError);
      expect(boot).not.toThrow(/short1/);
    });

    for (const bad of ['admin', 'admin@', 'ad min@example.com']) {
      it(`refuses the email "${bad}"`, () => assertRefused({ ADMIN_EMAIL: bad }, 'ADMIN_EMAIL'));
    }
  });

  describe('TRUST_PROXY', () => {
    it('is off when unset or off/false/0', () => {
      for (const off of ['off', 'false', '0']) {
        expect(sut({ TRUST_PROXY: off }).trustProxy).toBe(false);
      }
    });

    it('is a hop count when a positive integer', () => {
      expect(sut({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    });

    it('is a list of addresses and CIDRs, IPv4 and IPv6', () => {
      expect(sut({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    });

    for (const bad of ['loopback', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/', '127.0.0.1,proxy.internal', '-1']) {
      it(`refuses "${bad}"`, () => assertRefused({ TRUST_PROXY: bad }, 'TRUST_PROXY'));
    }
  });

  describe('LOG_LEVEL', () => {
    it('accepts the pino levels in any case', () => {
      for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
        expect(sut({ LOG_LEVEL: level.toUpperCase() }).logLevel).toBe(level);
      }
    });

    it('refuses anything else', () => assertRefused({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'));
  });

  describe('BASIC_AUTH_ENABLED', () => {
    it('is off by default and reads the usual spellings', () => {
      for (const on of ['true', 'TRUE', '1', 'yes', 'on']) {
        expect(sut({ BASIC_AUTH_ENABLED: on }).basicAuth).toBe(true);
      }
      for (const off of ['false', '0', 'no', 'off']) {
        expect(sut({ BASIC_AUTH_ENABLED: off }).basicAuth).toBe(false);
      }
    });

    it('refuses anything else', () => assertRefused({ BASIC_AUTH_ENABLED: 'sometimes' }, 'BASIC_AUTH_ENABLED'));
  });
});

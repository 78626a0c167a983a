import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSOLE_UI_DIR } from '../console-users';
import { AppConfig, ConfigError, parseConfig } from './app-config';

const CWD = '/srv/console';
const SECRET = 'x'.repeat(32);

function sut(env: Record<string, string>): AppConfig {
  return parseConfig(env, CWD);
}

/** Asserts that `env` stops the boot with a ConfigError naming `variable`. */
function assertRefused(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => sut(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
      assert.equal(error.variable, variable);
      assert.match(error.message, new RegExp(`\\b${variable}\\b`));
      assert.equal(error.message.includes('\n'), false, 'one line');
      return true;
    },
  );
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    assert.deepEqual(sut({}), {
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
    } satisfies AppConfig);
  });

  describe('CONSOLE_UI_DIR', () => {
    it('defaults to the library build folder and resolves a relative path against the working directory', () => {
      assert.match(CONSOLE_UI_DIR, /[\\/]libs[\\/]console-users[\\/]console-ui$/);
      assert.equal(sut({ CONSOLE_UI_DIR: './ui' }).consoleUiDir, '/srv/console/ui');
    });
  });

  describe('REMEMBER_ME_DAYS', () => {
    it('accepts 1 to 365 days', () => {
      assert.equal(sut({ REMEMBER_ME_DAYS: '7' }).rememberMeDays, 7);
    });

    for (const bad of ['0', '366', '1.5', 'week']) {
      it(`refuses "${bad}"`, () => assertRefused({ REMEMBER_ME_DAYS: bad }, 'REMEMBER_ME_DAYS'));
    }
  });

  it('treats empty and blank values as unset', () => {
    assert.deepEqual(sut({ PORT: '', HOST: ' ', PUBLIC_URL: '', DATABASE_URL: '', LOG_LEVEL: '', TRUST_PROXY: '', ADMIN_PASSWORD: '' }), sut({}));
  });

  describe('NODE_ENV', () => {
    it('is production, test, or development for anything else', () => {
      assert.equal(sut({ NODE_ENV: 'production', APP_SECRET: SECRET }).nodeEnv, 'production');
      assert.equal(sut({ NODE_ENV: 'test' }).nodeEnv, 'test');
      assert.equal(sut({ NODE_ENV: 'staging' }).nodeEnv, 'development');
    });
  });

  describe('PORT', () => {
    it('accepts 0 to 65535', () => {
      assert.equal(sut({ PORT: '0' }).port, 0);
      assert.equal(sut({ PORT: '65535' }).port, 65535);
      assert.equal(sut({ PORT: ' 3000 ' }).port, 3000);
    });

    for (const bad of ['65536', '-1', '80.5', 'http', '1e3', '0x50']) {
      it(`refuses "${bad}"`, () => assertRefused({ PORT: bad }, 'PORT'));
    }

    it('moves the default PUBLIC_URL along', () => {
      assert.equal(sut({ PORT: '9000' }).publicUrl, 'http://localhost:9000');
    });
  });

  describe('HOST', () => {
    it('is taken as given', () => {
      assert.equal(sut({ HOST: '127.0.0.1' }).host, '127.0.0.1');
      assert.equal(sut({ HOST: '::' }).host, '::');
    });
  });

  describe('PUBLIC_URL', () => {
    it('accepts http and https, keeps a path, drops trailing slashes', () => {
      assert.equal(sut({ PUBLIC_URL: 'https://console.example.com/' }).publicUrl, 'https://console.example.com');
      assert.equal(sut({ PUBLIC_URL: 'https://example.com/console/' }).publicUrl, 'https://example.com/console');
      assert.equal(sut({ PUBLIC_URL: 'http://10.0.0.5:8090' }).publicUrl, 'http://10.0.0.5:8090');
    });

    for (const bad of ['console.example.com', 'ftp://example.com', 'https://example.com/?next=1', 'https://example.com/#top']) {
      it(`refuses "${bad}"`, () => assertRefused({ PUBLIC_URL: bad }, 'PUBLIC_URL'));
    }
  });

  describe('DATA_DIR', () => {
    it('resolves a relative directory against the working directory', () => {
      assert.equal(sut({ DATA_DIR: 'var' }).dataDir, '/srv/console/var');
      assert.equal(sut({ DATA_DIR: '/var/lib/console' }).dataDir, '/var/lib/console');
    });

    it('takes the default SQLite file along', () => {
      assert.deepEqual(sut({ DATA_DIR: '/var/lib/console' }).database, { type: 'sqlite', path: '/var/lib/console/console.sqlite' });
    });
  });

  describe('DATABASE_URL', () => {
    it('accepts SQLite files, relative, absolute and in memory', () => {
      assert.deepEqual(sut({ DATABASE_URL: 'sqlite:./db/users.sqlite' }).database, { type: 'sqlite', path: '/srv/console/db/users.sqlite' });
      assert.deepEqual(sut({ DATABASE_URL: 'sqlite:/tmp/users.sqlite' }).database, { type: 'sqlite', path: '/tmp/users.sqlite' });
      assert.deepEqual(sut({ DATABASE_URL: 'sqlite:///tmp/users.sqlite' }).database, { type: 'sqlite', path: '/tmp/users.sqlite' });
      assert.deepEqual(sut({ DATABASE_URL: 'sqlite::memory:' }).database, { type: 'sqlite', path: ':memory:' });
    });

    it('an explicit SQLite file is not moved by DATA_DIR', () => {
      assert.deepEqual(sut({ DATA_DIR: '/var/lib/console', DATABASE_URL: 'sqlite:./other.sqlite' }).database, {
        type: 'sqlite',
        path: '/srv/console/other.sqlite',
      });
    });

    it('accepts postgres:// and postgresql://', () => {
      const url = 'postgres://console:s3cret@db.internal:5432/console';
      assert.deepEqual(sut({ DATABASE_URL: url }).database, { type: 'postgres', url });
      assert.equal(sut({ DATABASE_URL: 'postgresql://db/console' }).database.type, 'postgres');
    });

    for (const bad of ['mysql://db/console', 'sqlite:', 'postgres://db:port/x', './console.sqlite']) {
      it(`refuses "${bad}"`, () => assertRefused({ DATABASE_URL: bad }, 'DATABASE_URL'));
    }

    it('never repeats the URL (it may hold a password) in the message', () => {
      assert.throws(
        () => sut({ DATABASE_URL: 'postgres://console:hunter2@db:port/x' }),
        (error: Error) => !error.message.includes('hunter2'),
      );
    });
  });

  describe('SMTP_URL', () => {
    it('is unset by default (dev mailbox) and accepts smtp and smtps', () => {
      assert.equal(sut({}).smtpUrl, undefined);
      assert.equal(sut({ SMTP_URL: 'smtp://mail.internal:25' }).smtpUrl, 'smtp://mail.internal:25');
      assert.equal(sut({ SMTP_URL: 'smtps://user:pass@mail.example.com:465' }).smtpUrl, 'smtps://user:pass@mail.example.com:465');
    });

    for (const bad of ['http://mail.example.com', 'mail.example.com:25']) {
      it(`refuses "${bad}"`, () => assertRefused({ SMTP_URL: bad }, 'SMTP_URL'));
    }
  });

  describe('MAIL_FROM', () => {
    it('accepts one address with or without a name', () => {
      assert.equal(sut({ MAIL_FROM: 'Ops <ops@example.com>' }).mailFrom, 'Ops <ops@example.com>');
      assert.equal(sut({ MAIL_FROM: 'ops@example.com' }).mailFrom, 'ops@example.com');
    });

    for (const bad of ['Ops', 'ops@example.com\nBcc: victim@example.com']) {
      it(`refuses ${JSON.stringify(bad)}`, () => assertRefused({ MAIL_FROM: bad }, 'MAIL_FROM'));
    }
  });

  describe('REDIS_URL', () => {
    it('is unset by default and accepts redis and rediss', () => {
      assert.equal(sut({}).redisUrl, undefined);
      assert.equal(sut({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl, 'redis://127.0.0.1:6379');
      assert.equal(sut({ REDIS_URL: 'rediss://cache.example.com:6380' }).redisUrl, 'rediss://cache.example.com:6380');
    });

    it('refuses other schemes', () => assertRefused({ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'));
  });

  describe('SMS_WEBHOOK_URL', () => {
    it('is unset by default and accepts http and https', () => {
      assert.equal(sut({}).smsWebhookUrl, undefined);
      assert.equal(sut({ SMS_WEBHOOK_URL: 'https://sms.example.com/send' }).smsWebhookUrl, 'https://sms.example.com/send');
    });

    it('refuses other schemes', () => assertRefused({ SMS_WEBHOOK_URL: 'smtp://sms.example.com' }, 'SMS_WEBHOOK_URL'));
  });

  describe('APP_SECRET', () => {
    it('is optional outside production (generated into DATA_DIR later)', () => {
      assert.equal(sut({}).appSecret, undefined);
      assert.equal(sut({ APP_SECRET: SECRET }).appSecret, SECRET);
    });

    it('is required with NODE_ENV=production', () => {
      assertRefused({ NODE_ENV: 'production' }, 'APP_SECRET');
      assert.equal(sut({ NODE_ENV: 'production', APP_SECRET: SECRET }).appSecret, SECRET);
    });

    it('must be at least 32 bytes, and is never echoed', () => {
      assertRefused({ APP_SECRET: 'too-short-secret' }, 'APP_SECRET');
      assert.throws(
        () => sut({ APP_SECRET: 'too-short-secret' }),
        (error: Error) => !error.message.includes('too-short-secret'),
      );
    });
  });

  describe('ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_EMAIL', () => {
    it('are taken when valid', () => {
      assert.deepEqual(sut({ ADMIN_USERNAME: 'ops.admin', ADMIN_PASSWORD: 'correct horse', ADMIN_EMAIL: 'ops@example.com' }).admin, {
        username: 'ops.admin',
        password: 'correct horse',
        email: 'ops@example.com',
      });
    });

    for (const bad of ['Admin', '-admin', 'admin-', 'ad min', 'a'.repeat(64)]) {
      it(`refuses the username "${bad}"`, () => assertRefused({ ADMIN_USERNAME: bad }, 'ADMIN_USERNAME'));
    }

    it('counts the password in code points: 8 to 128', () => {
      assert.equal(sut({ ADMIN_PASSWORD: '🔑🔑🔑🔑🔑🔑🔑🔑' }).admin.password, '🔑🔑🔑🔑🔑🔑🔑🔑');
      assert.equal(sut({ ADMIN_PASSWORD: 'p'.repeat(128) }).admin.password, 'p'.repeat(128));
      assertRefused({ ADMIN_PASSWORD: 'seven77' }, 'ADMIN_PASSWORD');
      assertRefused({ ADMIN_PASSWORD: 'p'.repeat(129) }, 'ADMIN_PASSWORD');
    });

    it('never echoes a refused password', () => {
      assert.throws(() => sut({ ADMIN_PASSWORD: 'short1' }), (error: Error) => !error.message.includes('short1'));
    });

    for (const bad of ['admin', 'admin@', 'ad min@example.com']) {
      it(`refuses the email "${bad}"`, () => assertRefused({ ADMIN_EMAIL: bad }, 'ADMIN_EMAIL'));
    }
  });

  describe('TRUST_PROXY', () => {
    it('is off when unset or off/false/0', () => {
      for (const off of ['off', 'false', '0']) {
        assert.equal(sut({ TRUST_PROXY: off }).trustProxy, false);
      }
    });

    it('is a hop count when a positive integer', () => {
      assert.equal(sut({ TRUST_PROXY: '2' }).trustProxy, 2);
    });

    it('is a list of addresses and CIDRs, IPv4 and IPv6', () => {
      assert.deepEqual(sut({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    });

    for (const bad of ['loopback', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/', '127.0.0.1,proxy.internal', '-1']) {
      it(`refuses "${bad}"`, () => assertRefused({ TRUST_PROXY: bad }, 'TRUST_PROXY'));
    }
  });

  describe('LOG_LEVEL', () => {
    it('accepts the pino levels in any case', () => {
      for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
        assert.equal(sut({ LOG_LEVEL: level.toUpperCase() }).logLevel, level);
      }
    });

    it('refuses anything else', () => assertRefused({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'));
  });

  describe('BASIC_AUTH_ENABLED', () => {
    it('is off by default and reads the usual spellings', () => {
      for (const on of ['true', 'TRUE', '1', 'yes', 'on']) {
        assert.equal(sut({ BASIC_AUTH_ENABLED: on }).basicAuth, true);
      }
      for (const off of ['false', '0', 'no', 'off']) {
        assert.equal(sut({ BASIC_AUTH_ENABLED: off }).basicAuth, false);
      }
    });

    it('refuses anything else', () => assertRefused({ BASIC_AUTH_ENABLED: 'sometimes' }, 'BASIC_AUTH_ENABLED'));
  });
});

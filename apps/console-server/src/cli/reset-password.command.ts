import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadEnvFile } from '../bootstrap/env-file';
import { ConfigError, parseConfig } from '../config/app-config';
import { DomainError, OperatorPasswordReset } from '../console-users';

/** Where the command reads and writes; a test passes its own. */
export interface CommandIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
}

const USAGE = [
  'Usage: npm run admin:reset-password -- <username> [--password-stdin]',
  '',
  'Sets a new password for <username> in the database the server uses (the same DATABASE_URL,',
  'DATA_DIR and .env), ends all of its sessions and tokens, and prints the new password once.',
  'With --password-stdin the password is read from standard input instead of generated.',
].join('\n');

/**
 * `npm run admin:reset-password -- admin`: the way back in on the server's machine when the
 * administrator's password is lost (the default admin address cannot receive a reset mail).
 * Returns the exit code.
 */
export async function resetPasswordCommand(io: CommandIo): Promise<number> {
  const args = io.argv.filter((arg) => arg !== '--password-stdin');
  const fromStdin = args.length !== io.argv.length;
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    io.err(`${USAGE}\n`);
    return 64;
  }
  const name = args[0]!;

  let config;
  try {
    loadEnvFile();
    config = parseConfig(io.env);
  } catch (error) {
    io.err(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  let password: string | undefined;
  if (fromStdin) {
    // One line; the newline that ends it is not part of the password.
    password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (password === '') {
      io.err('No password on standard input.\n');
      return 1;
    }
  }

  // The server's own modules on the same database, without HTTP, without the outbox worker
  // (a running server delivers what this queues) and without creating a first administrator.
  let app;
  try {
    app = await NestFactory.createApplicationContext(AppModule.register(config, { outbox: { enabled: false }, bootstrapAdmin: false }), {
      logger: false,
      abortOnError: false,
    });
  } catch (error) {
    io.err(`Cannot open the database (DATABASE_URL): ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const result = await app.get(OperatorPasswordReset).reset(name, password);
    if (result.generatedPassword !== undefined) {
      io.out(`New password for ${result.name} (shown only this once): ${result.generatedPassword}\n`);
    } else {
      io.out(`Password of ${result.name} changed.\n`);
    }
    io.out(`Every session and personal access token of ${result.name} has ended.\n`);
    return 0;
  } catch (error) {
    io.err(`${error instanceof DomainError ? error.message : `Password reset failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

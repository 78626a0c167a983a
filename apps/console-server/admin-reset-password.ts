// `npm run admin:reset-password -- <username> [--password-stdin]`
import 'reflect-metadata';
import { resetPasswordCommand } from './src/cli/reset-password.command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

resetPasswordCommand({
  argv: process.argv.slice(2),
  env: process.env,
  readStdin,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`admin:reset-password failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

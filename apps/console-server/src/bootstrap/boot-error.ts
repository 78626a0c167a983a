/**
 * A dependency named by a variable that cannot be used (DATABASE_URL unreachable, wrong
 * password…): stops the boot with one line naming the variable and the reason.
 */
export class BootError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'BootError';
  }
}

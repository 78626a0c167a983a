import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import type { AvatarImageType } from './avatar-image';

/** Names of stored avatars: 128 random bits and the detected extension; nothing else is ever read. */
export const AVATAR_FILE_PATTERN = /^[0-9a-f]{32}\.(png|jpg|gif)$/;

/** Path under which {@link AvatarsController} serves stored avatars. */
export const AVATAR_URL_PATH = '/avatars';

/**
 * Avatar files under `DATA_DIR/avatars`. A file is written under a temporary name and renamed into
 * place, so a reader never sees half a file, and it is referenced only once complete.
 */
@Injectable()
export class AvatarStorage {
  private readonly logger = new Logger('AvatarStorage');
  private readonly directory: string;

  constructor(@Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions) {
    this.directory = join(options.dataDir, 'avatars');
  }

  /** Stores the image and returns its file name. */
  async save(data: Buffer, type: AvatarImageType): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const fileName = `${randomBytes(16).toString('hex')}.${type.extension}`;
    const temporary = join(this.directory, `.${fileName}.tmp`);
    try {
      await writeFile(temporary, data, { flag: 'wx', mode: 0o644 });
      await rename(temporary, join(this.directory, fileName));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return fileName;
  }

  /** The file's bytes, or undefined when the name is not a stored avatar. */
  async read(fileName: string): Promise<Buffer | undefined> {
    if (!AVATAR_FILE_PATTERN.test(fileName)) {
      return undefined;
    }
    try {
      return await readFile(join(this.directory, fileName));
    } catch {
      return undefined;
    }
  }

  /** Removes a stored avatar; a failure is logged, never raised (the user row is already right). */
  async remove(fileName: string | undefined): Promise<void> {
    if (!fileName || !AVATAR_FILE_PATTERN.test(fileName)) {
      return;
    }
    try {
      await rm(join(this.directory, fileName), { force: true });
    } catch (error) {
      this.logger.warn(`Could not remove avatar ${fileName}: ${(error as Error).message}`);
    }
  }

  /** The stable public URL of a stored avatar. */
  urlFor(fileName: string): string {
    return `${this.options.publicUrl}${AVATAR_URL_PATH}/${fileName}`;
  }
}

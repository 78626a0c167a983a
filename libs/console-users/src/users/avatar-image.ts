/** An image type accepted as an avatar, told by its leading bytes. */
export interface AvatarImageType {
  extension: 'png' | 'jpg' | 'gif';
  contentType: 'image/png' | 'image/jpeg' | 'image/gif';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const GIF87A = Buffer.from('GIF87a', 'ascii');
const GIF89A = Buffer.from('GIF89a', 'ascii');

/**
 * The image type of `data` judged by its magic bytes, or undefined for anything else. The file
 * name and the client's Content-Type are never trusted: both are free text.
 */
export function detectAvatarImage(data: Buffer): AvatarImageType | undefined {
  if (startsWith(data, PNG_SIGNATURE)) {
    return { extension: 'png', contentType: 'image/png' };
  }
  if (startsWith(data, JPEG_SIGNATURE)) {
    return { extension: 'jpg', contentType: 'image/jpeg' };
  }
  if (startsWith(data, GIF87A) || startsWith(data, GIF89A)) {
    return { extension: 'gif', contentType: 'image/gif' };
  }
  return undefined;
}

/** The content type for a stored avatar's extension. */
export function avatarContentType(extension: string): AvatarImageType['contentType'] | undefined {
  switch (extension) {
    case 'png':
      return 'image/png';
    case 'jpg':
      return 'image/jpeg';
    case 'gif':
      return 'image/gif';
    default:
      return undefined;
  }
}

function startsWith(data: Buffer, prefix: Buffer): boolean {
  return data.length >= prefix.length && data.subarray(0, prefix.length).equals(prefix);
}

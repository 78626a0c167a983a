/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa1d6c6a90000000049454e44ae426082',
  'hex',
);

/** A minimal JPEG (SOI, APP0 JFIF header, EOI); only the magic bytes matter to the server. */
export const JPEG_STUB = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.alloc(9),
  Buffer.from([0xff, 0xd9]),
]);

/** A 1×1 GIF89a. */
export const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

/** A File the generated client can put in its FormData. */
export function imageFile(data: Buffer, name: string, type = 'application/octet-stream'): File {
  return new File([new Uint8Array(data)], name, { type });
}

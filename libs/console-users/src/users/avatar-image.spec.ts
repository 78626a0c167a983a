import { detectAvatarImage } from './avatar-image';

describe('detectAvatarImage', () => {
  it('recognizes PNG, JPEG and GIF by their first bytes', () => {
    expect(detectAvatarImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))?.contentType).toBe('image/png');
    expect(detectAvatarImage(Buffer.from('ffd8ffe000104a464946', 'hex'))?.extension).toBe('jpg');
    expect(detectAvatarImage(Buffer.from('GIF87a\x01\x00', 'latin1'))?.extension).toBe('gif');
    expect(detectAvatarImage(Buffer.from('GIF89a\x01\x00', 'latin1'))?.contentType).toBe('image/gif');
  });

  it('refuses everything else, truncated signatures included', () => {
    for (const data of [
      Buffer.alloc(0),
      Buffer.from('89504e470d0a1a', 'hex'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
      Buffer.from('GIF88a'),
      Buffer.from('RIFF\0\0\0\0WEBPVP8 '),
      Buffer.from('%PDF-1.7'),
    ]) {
      expect(detectAvatarImage(data)).toBe(undefined);
    }
  });
});

import type { FaceName } from './console-face';
import { ALL_FACE_NAMES, ALL_FACES, selectFaces } from './faces';

describe('selectFaces', () => {
  it('mounts every face when the option is unset, and only the named ones otherwise', () => {
    expect(selectFaces(undefined).map((face) => face.name)).toEqual(['halo', 'zitadel', 'authentik', 'fresns', 'anqicms']);
    expect(selectFaces(['anqicms', 'halo']).map((face) => face.name)).toEqual(['halo', 'anqicms']);
    expect(selectFaces([])).toEqual([]);
  });

  it('fails at boot on a face it does not know', () => {
    expect(() => selectFaces(['halo', 'keycloak' as FaceName])).toThrow(/unknown face\(s\) keycloak/);
  });

  it('every face declares controllers, a filter and path prefixes no other face claims', () => {
    const prefixes = ALL_FACES.flatMap((face) => face.pathPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const face of ALL_FACES) {
      expect(face.controllers.length > 0).toBeTruthy();
      expect(face.pathPrefixes.every((prefix) => prefix.startsWith('/') && prefix.endsWith('/'))).toBeTruthy();
      for (const other of prefixes.filter((p) => !face.pathPrefixes.includes(p))) {
        expect(face.pathPrefixes.every((mine) => !other.startsWith(mine))).toBeTruthy();
      }
    }
    expect([...ALL_FACE_NAMES].sort()).toEqual(['anqicms', 'authentik', 'fresns', 'halo', 'zitadel']);
  });
});

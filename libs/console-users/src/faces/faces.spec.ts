import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaceName } from './console-face';
import { ALL_FACE_NAMES, ALL_FACES, selectFaces } from './faces';

describe('selectFaces', () => {
  it('mounts every face when the option is unset, and only the named ones otherwise', () => {
    assert.deepEqual(
      selectFaces(undefined).map((face) => face.name),
      ['halo', 'zitadel', 'authentik', 'fresns', 'anqicms'],
    );
    assert.deepEqual(
      selectFaces(['anqicms', 'halo']).map((face) => face.name),
      ['halo', 'anqicms'],
    );
    assert.deepEqual(selectFaces([]), []);
  });

  it('fails at boot on a face it does not know', () => {
    assert.throws(() => selectFaces(['halo', 'keycloak' as FaceName]), /unknown face\(s\) keycloak/);
  });

  it('every face declares controllers, a filter and path prefixes no other face claims', () => {
    const prefixes = ALL_FACES.flatMap((face) => face.pathPrefixes);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const face of ALL_FACES) {
      assert.ok(face.controllers.length > 0, face.name);
      assert.ok(face.pathPrefixes.every((prefix) => prefix.startsWith('/') && prefix.endsWith('/')), face.name);
      for (const other of prefixes.filter((p) => !face.pathPrefixes.includes(p))) {
        assert.ok(face.pathPrefixes.every((mine) => !other.startsWith(mine)), `${face.name}: ${other} is inside one of its prefixes`);
      }
    }
    assert.deepEqual([...ALL_FACE_NAMES].sort(), ['anqicms', 'authentik', 'fresns', 'halo', 'zitadel']);
  });
});

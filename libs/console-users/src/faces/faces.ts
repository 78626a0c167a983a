import type { ConsoleFace, FaceName } from './console-face';
import { ANQICMS_FACE } from './anqicms/anqicms.face';
import { AUTHENTIK_FACE } from './authentik/authentik.face';
import { FRESNS_FACE } from './fresns/fresns.face';
import { HALO_FACE } from './halo/halo.face';
import { ZITADEL_FACE } from './zitadel/zitadel.face';

/** Every face the library ships, in the order their path prefixes are matched. */
export const ALL_FACES: readonly ConsoleFace[] = [HALO_FACE, ZITADEL_FACE, AUTHENTIK_FACE, FRESNS_FACE, ANQICMS_FACE];

/** Names of every face the library ships. */
export const ALL_FACE_NAMES: readonly FaceName[] = ALL_FACES.map((face) => face.name);

/** The faces to mount for the `faces` module option (all when unset); unknown names fail at boot. */
export function selectFaces(names: readonly FaceName[] | undefined): readonly ConsoleFace[] {
  if (names === undefined) {
    return ALL_FACES;
  }
  const unknown = names.filter((name) => !ALL_FACE_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new Error(`ConsoleUsersModule: unknown face(s) ${unknown.join(', ')}; known: ${ALL_FACE_NAMES.join(', ')}.`);
  }
  return ALL_FACES.filter((face) => names.includes(face.name));
}

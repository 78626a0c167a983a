/** What a request asks to do, in Halo's RBAC terms. */
export type RequestInfo =
  | {
      kind: 'resource';
      apiGroup: string;
      /** `users` */
      resource: string;
      /** `password` in `users/password` */
      subresource?: string;
      /** The path segment naming the object, `-` included. */
      name?: string;
      verb: string;
    }
  | { kind: 'non-resource'; path: string; verb: string };

/** HTTP method → Halo verb (`list` for a GET without a name). */
export function verbFor(method: string, hasName: boolean): string {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

/** Facts about the HTTP request that services record or use for mail. */
export interface ZitadelRequestContext {
  ip: string;
  acceptLanguage?: string;
}

/** grpc-gateway clients may repeat the path's user id in the body; it must then agree. */
export function assertSameUserId(pathUserId: string, bodyUserId: string | undefined, invalid: () => Error): void {
  if (bodyUserId !== undefined && bodyUserId !== '' && bodyUserId !== pathUserId) {
    throw invalid();
  }
}

/** AnqiCMS' answer: `code` 0 on success, -1 on failure (1001 not logged in, 1002 no access); HTTP 200. */
export interface AnqiCmsEnvelope {
  code: number;
  msg: string;
}

/** AnqiCMS' success answer. */
export function anqiOk(msg: string): AnqiCmsEnvelope {
  return { code: 0, msg };
}

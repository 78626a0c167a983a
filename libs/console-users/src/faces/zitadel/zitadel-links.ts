import { assertRenderableUrlTemplate, InvalidUrlTemplateError, renderUrlTemplate } from './zitadel-url-template';
import { zitadelErrors } from './zitadel-errors';

/** Our own pages a code link points to when the caller gave no template. */
export type CodePage = 'verify-email' | 'reset-password';

/** Who a link is for: the values of `{{.UserID}}` and `{{.OrgID}}`. */
export interface LinkOwner {
  userId: number;
  orgId: string;
}

/** 3 InvalidURLTemplate unless the template renders (dry run) for this owner. */
export function validateUrlTemplate(template: string | undefined, owner: LinkOwner): string | null {
  if (template === undefined || template === null) {
    return null;
  }
  try {
    assertRenderableUrlTemplate(template, { UserID: String(owner.userId), OrgID: owner.orgId });
  } catch (error) {
    if (error instanceof InvalidUrlTemplateError) {
      throw zitadelErrors.invalidUrlTemplate(error.reason);
    }
    throw error;
  }
  return template;
}

/**
 * The link a mail carries: the caller's template rendered with the code, or our page under
 * PUBLIC_URL (`/verify-email?user=…&code=…`, `/reset-password?user=…&code=…`). Never built
 * from request headers.
 */
export function codeLink(publicUrl: string, page: CodePage, template: string | null, owner: LinkOwner, code: string): string {
  if (template) {
    return renderUrlTemplate(template, { UserID: String(owner.userId), OrgID: owner.orgId, Code: code });
  }
  const query = new URLSearchParams({ user: String(owner.userId), code });
  return `${publicUrl}/${page}?${query.toString()}`;
}

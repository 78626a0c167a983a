import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';

/** authentik's `Pagination` object. */
export interface AuthentikPagination {
  next: number;
  previous: number;
  count: number;
  current: number;
  total_pages: number;
  start_index: number;
  end_index: number;
}

/** authentik's paginated list (`PaginatedUserList`, `PaginatedEmailStageList`, …). */
export interface AuthentikPage<T> {
  pagination: AuthentikPagination;
  results: T[];
  autocomplete: Record<string, unknown>;
}

/** A requested page: 1-based number and size. */
export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * Reads `page` and `page_size` as DRF's PageNumberPagination does: a bad size falls back to the
 * default, a size above the maximum is capped, a page that is not a positive integer is 404.
 */
export function pageRequest(query: unknown): PageRequest {
  const params = (query ?? {}) as Record<string, unknown>;
  const sizeRaw = typeof params.page_size === 'string' ? params.page_size : undefined;
  const size = sizeRaw !== undefined && /^\d+$/.test(sizeRaw) && Number(sizeRaw) > 0 ? Math.min(Number(sizeRaw), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const pageRaw = typeof params.page === 'string' ? params.page : '1';
  if (!/^\d+$/.test(pageRaw) || Number(pageRaw) < 1 || Number(pageRaw) > 1_000_000) {
    throw invalidPage();
  }
  const page = Number(pageRaw);
  return { page, pageSize: size, offset: (page - 1) * size };
}

/** The envelope around one page of results, with Django's paginator arithmetic. */
export function authentikPage<T>(results: T[], count: number, request: PageRequest): AuthentikPage<T> {
  const totalPages = Math.max(1, Math.ceil(count / request.pageSize));
  if (request.page > totalPages) {
    throw invalidPage();
  }
  return {
    pagination: {
      next: request.page < totalPages ? request.page + 1 : 0,
      previous: request.page > 1 ? request.page - 1 : 0,
      count,
      current: request.page,
      total_pages: totalPages,
      start_index: count === 0 ? 0 : request.offset + 1,
      end_index: request.page === totalPages ? count : request.page * request.pageSize,
    },
    results,
    autocomplete: {},
  };
}

function invalidPage(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'Invalid page.');
}

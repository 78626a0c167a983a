import { Type } from 'class-transformer';
import { IsInt, IsOptional } from 'class-validator';
import { HaloListResult, listResult } from './halo-list-query';

/** Halo's paged list shape; operator lists use the same one as the console and core lists. */
export type HaloPage<T> = HaloListResult<T>;

/** `page` and `size` query parameters; lenient like Halo (a page below 1 is page 1). */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be an integer' })
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'size must be an integer' })
  size?: number;
}

/** Paging of operator lists: default 20 rows, at most 100 (a page never costs more than that). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The effective page and size of a query. */
export function effectivePaging(query: PageQueryDto): { page: number; size: number } {
  const page = query.page !== undefined && query.page >= 1 ? query.page : 1;
  const size = query.size !== undefined && query.size >= 1 ? Math.min(query.size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return { page, size };
}

/** Builds the list with Halo's flags (`totalPages = ceil(total / size)`). */
export const haloPage = listResult;

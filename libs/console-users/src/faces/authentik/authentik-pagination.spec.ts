import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { authentikPage, pageRequest } from './authentik-pagination';

function expectNotFound(paginate: () => unknown): void {
  expect(paginate).toThrow(DomainError);
  expect(paginate).toThrow(expect.objectContaining({ code: ErrorCode.NotFound, message: 'Invalid page.' }));
}

describe('pageRequest (DRF PageNumberPagination parameters)', () => {
  const sut = pageRequest;

  it('defaults to page 1 of 20', () => {
    expect(sut({})).toEqual({ page: 1, pageSize: 20, offset: 0 });
  });

  it('reads page and page_size, capping the size at 100', () => {
    expect(sut({ page: '3', page_size: '10' })).toEqual({ page: 3, pageSize: 10, offset: 20 });
    expect(sut({ page_size: '1000' }).pageSize).toBe(100);
  });

  it('falls back to the default size for a bad page_size, as DRF does', () => {
    for (const page_size of ['0', '-5', 'ten', '', '2.5']) {
      expect(sut({ page_size }).pageSize).toBe(20);
    }
  });

  it('answers 404 "Invalid page." for a page that is not a positive integer', () => {
    for (const page of ['0', '-1', 'last', '1.5', '']) {
      expectNotFound(() => sut({ page }));
    }
  });
});

describe('authentikPage (Django paginator arithmetic)', () => {
  const sut = authentikPage;

  it('describes a middle page', () => {
    const page = sut(['x', 'y'], 7, pageRequest({ page: '2', page_size: '2' }));
    expect(page.pagination).toEqual({ next: 3, previous: 1, count: 7, current: 2, total_pages: 4, start_index: 3, end_index: 4 });
    expect(page.results).toEqual(['x', 'y']);
    expect(page.autocomplete).toEqual({});
  });

  it('ends the last page at the count', () => {
    expect(sut(['g'], 7, pageRequest({ page: '4', page_size: '2' })).pagination).toEqual({
      next: 0,
      previous: 3,
      count: 7,
      current: 4,
      total_pages: 4,
      start_index: 7,
      end_index: 7,
    });
  });

  it('has one empty page when there is nothing', () => {
    expect(sut([], 0, pageRequest({})).pagination).toEqual({ next: 0, previous: 0, count: 0, current: 1, total_pages: 1, start_index: 0, end_index: 0 });
  });

  it('answers 404 for a page past the end', () => {
    expectNotFound(() => sut([], 7, pageRequest({ page: '5', page_size: '2' })));
  });
});

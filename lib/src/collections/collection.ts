/**
 * A boto3-style collection: a lazy, chainable description of a listing. Nothing is sent until
 * you iterate (`for await`), ask for `pages()` or call `toArray()`; each chained call (`filter`,
 * `limit`, `pageSize`) returns a new collection and leaves the old one as it was.
 */

import { explain } from "../errors";

/** Where a collection's items come from: a listing fetched page by page (one request per page). */
export interface CollectionSource<T, Params> {
  pages(params: Params, pageSize: number | undefined): AsyncIterable<T[]>;
}

/** What a collection remembers between chained calls. */
export interface CollectionState<Params> {
  readonly params: Params;
  readonly limit?: number;
  readonly pageSize?: number;
}

export class ResourceCollection<T, Params extends object, Source extends CollectionSource<T, Params> = CollectionSource<T, Params>>
  implements AsyncIterable<T>
{
  constructor(
    protected readonly source: Source,
    protected readonly state: CollectionState<Params> = { params: {} as Params },
  ) {}

  /** The same listing, unchanged (boto3's `all()`); sends nothing until iterated. */
  all(): this {
    return this.derive({});
  }

  /** Adds request parameters, e.g. `{ Prefix: "logs/" }` (boto3's `filter(**kwargs)`). */
  filter(params: Params): this {
    return this.derive({ params: { ...this.state.params, ...params } });
  }

  /** Yields at most `count` items and stops requesting pages once it has them (boto3's `limit()`). */
  limit(count: number): this {
    return this.derive({ limit: count });
  }

  /** Asks the server for `count` items per request, e.g. MaxKeys (boto3's `page_size()`). */
  pageSize(count: number): this {
    return this.derive({ pageSize: count });
  }

  /** The items one page (one request) at a time (boto3's `pages()`). */
  async *pages(): AsyncGenerator<T[], void, undefined> {
    let remaining = this.state.limit ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    try {
      for await (const page of this.source.pages(this.state.params, this.state.pageSize)) {
        const items = page.length > remaining ? page.slice(0, remaining) : page;
        remaining -= items.length;
        yield items;
        // Leaving the loop ends the paginator, so no request is made for a page nobody wants.
        if (remaining <= 0) return;
      }
    } catch (error) {
      throw explain(error);
    }
  }

  /** `for await (const item of collection)`: the items one by one (boto3's iteration). */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  /** Every item in one array (boto3's `list(collection)`). */
  async toArray(): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.pages()) items.push(...page);
    return items;
  }

  /** A new collection of the same kind, with some state changed. */
  protected derive(change: Partial<CollectionState<Params>>): this {
    const Kind = this.constructor as new (source: Source, state: CollectionState<Params>) => this;
    return new Kind(this.source, { ...this.state, ...change });
  }
}

import type { GenerationRecord, ListQuery } from '@dotbase/core';

interface Lister {
  list(userId: string, query: ListQuery): Promise<{ items: GenerationRecord[]; total: number }>;
}

/** Records read per store page while searching. */
const BATCH = 100;
/**
 * The most records one search reads: the stores index by action and status, not by words, so a search reads the
 * user's history newest first. This bounds the work of one request; older generations beyond it are not found.
 */
export const SEARCH_SCAN_LIMIT = 5000;

/**
 * The caller's generations whose prompt contains `text` (case-insensitive), newest first, paged like the list.
 * Filters by action, status and star still come from the store's index.
 */
export async function searchByPrompt(store: Lister, userId: string, query: ListQuery & { q: string }): Promise<{ items: GenerationRecord[]; total: number }> {
  const needle = query.q.toLocaleLowerCase();
  const filters = {
    ...(query.action ? { action: query.action } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.favorite ? { favorite: true as const } : {}),
  };
  const matches: GenerationRecord[] = [];
  for (let page = 1; (page - 1) * BATCH < SEARCH_SCAN_LIMIT; page++) {
    const { items, total } = await store.list(userId, { ...filters, page, limit: BATCH });
    for (const record of items) if (record.prompt?.toLocaleLowerCase().includes(needle)) matches.push(record);
    if (items.length === 0 || page * BATCH >= total) break;
  }
  const start = (query.page - 1) * query.limit;
  return { items: matches.slice(start, start + query.limit), total: matches.length };
}

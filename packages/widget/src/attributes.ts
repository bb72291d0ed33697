import { ACTIONS, isAction, type Action } from './api/types.js';

/** `"a, b,,c"` → `['a', 'b', 'c']`; no attribute → undefined (meaning "no restriction"). */
export function parseList(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  const items = value.split(/[\s,]+/).filter(Boolean);
  return [...new Set(items)];
}

/** The `actions` attribute: known actions in the embedder's order; unknown names are ignored. Empty → all four. */
export function parseActions(value: string | null): Action[] | undefined {
  const list = parseList(value)?.filter(isAction);
  return list && list.length > 0 ? list : undefined;
}

export function requestedActions(actions: readonly string[] | undefined): Action[] {
  const valid = actions?.filter(isAction) ?? [];
  return valid.length > 0 ? [...new Set(valid)] : [...ACTIONS];
}

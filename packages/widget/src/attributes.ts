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

/** The blob key of a dotbase file URL (`…/outputs/abc.png` → `outputs/abc.png`), so outputs chain without re-upload. */
export function refFromFileUrl(url: string): string {
  try {
    const match = /(?:^|\/)((?:uploads|outputs)\/[A-Za-z0-9_-]{8,}\.(?:png|jpg|webp|gif))$/.exec(new URL(url).pathname);
    return match?.[1] ?? url;
  } catch {
    return url;
  }
}

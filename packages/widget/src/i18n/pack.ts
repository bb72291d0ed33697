import type { BatchStrings } from './batch.js';
import type { Strings } from './en.js';

/**
 * Everything one language needs: the studio's strings, the batch view's, and Russian-style translations of what
 * the server describes in English (model descriptions, setting hints, setting values). English is built in; other
 * languages ship as their own file (`dotbase-ru.js`) that exports one pack as its default export.
 */
export interface LocalePack {
  strings: Strings;
  batch: BatchStrings;
  /** Keyed by model id; a model without one shows the server's English description. */
  modelDescriptions: Record<string, string>;
  /** Keyed by setting name; a setting without one shows no hint rather than an English sentence. */
  fieldHints: Record<string, string>;
  /** Keyed by raw setting value or a part of one (`digital_illustration`). */
  values: Record<string, string>;
  /** A server validation issue's message in this language; undefined (or absent, as in English) shows the server's text. */
  issue?: (message: string) => string | undefined;
}

import { ruBatch } from './batch-ru.js';
import { RU_FIELD_HINTS, RU_MODEL_DESCRIPTIONS, RU_VALUES } from './catalog-ru.js';
import { russianIssue } from './issues-ru.js';
import type { LocalePack } from './pack.js';
import { ru } from './ru.js';

/**
 * The entry of `dotbase-ru.js`: Russian, imported by the studio only when a page or visitor asks for it, so the
 * studio bundle does not carry ~7 KB gzipped of strings that most visitors never see.
 */
const pack: LocalePack = { strings: ru, batch: ruBatch, modelDescriptions: RU_MODEL_DESCRIPTIONS, fieldHints: RU_FIELD_HINTS, values: RU_VALUES, issue: russianIssue };
export default pack;

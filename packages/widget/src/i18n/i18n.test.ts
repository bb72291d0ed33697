import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { errorText, fieldLabel, isLocaleLoaded, registerLocale, stringsFor } from './index.js';
import { ru } from './ru.js';
import ruPack from './ru-pack.js';
import { modelDescription, valueLabel } from './values.js';

/** Every key path of a strings object, with the kind of value (text or function) at each. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}:fn`];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => shape(child, `${path}.${key}`));
  return [`${path}:${typeof value}`];
}

describe('i18n', () => {
  it('every locale has exactly the English keys', () => {
    expect(shape(ru).sort()).toEqual(shape(en).sort());
  });

  it('answers English for a language until its file is loaded, then that language', () => {
    expect(isLocaleLoaded('ru')).toBe(false);
    expect(stringsFor('ru')).toBe(en);
    expect(modelDescription(ru, 'flux-schnell', 'Fast.')).toBe('Fast.');
    registerLocale(ruPack);
    expect(isLocaleLoaded('ru-RU')).toBe(true);
    expect(modelDescription(ru, 'flux-schnell', 'Fast.')).toContain('быстро');
    expect(valueLabel(ru, 'match_input_image')).not.toBe(valueLabel(en, 'match_input_image'));
  });

  it('picks a locale from BCP 47 tags and falls back to English', () => {
    registerLocale(ruPack);
    expect(stringsFor('ru')).toBe(ru);
    expect(stringsFor('ru-RU')).toBe(ru);
    expect(stringsFor('RU_ru')).toBe(ru);
    expect(stringsFor('de')).toBe(en);
    expect(stringsFor('')).toBe(en);
    expect(stringsFor(undefined)).toBe(en);
    expect(stringsFor('constructor')).toBe(en);
  });

  it('uses Russian plural forms', () => {
    expect(ru.result.announceDone(1)).toBe('Готово: 1 изображение.');
    expect(ru.result.announceDone(3)).toBe('Готово: 3 изображения.');
    expect(ru.result.announceDone(5)).toBe('Готово: 5 изображений.');
    expect(ru.result.announceDone(11)).toBe('Готово: 11 изображений.');
    expect(ru.result.announceDone(22)).toBe('Готово: 22 изображения.');
    expect(en.result.announceDone(1)).toBe('Done: 1 image ready.');
    expect(en.result.announceDone(4)).toBe('Done: 4 images ready.');
  });

  it('labels fields: translation, then schema title, then the name made readable', () => {
    expect(fieldLabel(ru, 'aspect_ratio')).toBe('Соотношение сторон');
    expect(fieldLabel(en, 'magic_prompt_option', 'Magic prompt')).toBe('Magic prompt');
    expect(fieldLabel(en, 'safety_tolerance')).toBe('Safety tolerance');
  });

  it('explains errors in plain words, keeping the server message for invalid input', () => {
    expect(errorText(en, 'rate_limited', 'HTTP 429')).toBe(en.errors.rate_limited);
    expect(errorText(en, 'invalid_input', 'seed: too big')).toBe(`${en.errors.invalid_input} seed: too big`);
    expect(errorText(en, 'http_418', "I'm a teapot")).toBe("I'm a teapot");
    expect(errorText(ru, undefined)).toBe(ru.errors.fallback);
  });
});

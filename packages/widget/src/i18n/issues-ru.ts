import { RU_VALUES } from './catalog-ru.js';
import { plural, ru } from './ru.js';

/**
 * The server's validation issues (`error.details.issues[].message`) in Russian. The server writes them in English
 * from a known set of shapes: zod's issue kinds as dotbase's error map words them (packages/core/src/models/issues.ts:
 * "must be at least 1", "must be one of: a, b"), the request checks of the registry, service and server ("FLUX Fill
 * Pro needs a mask for edit", "no upload with id …") and each model's own rules (models/seed/*.ts). Each shape is
 * matched here and said again in Russian, with the setting names and values it mentions translated; a message of
 * no known shape is shown as the server wrote it. Lives in the Russian file, so English pays nothing for it.
 */

const field = (name: string) => `«${ru.fields[name] ?? name}»`;
/** File formats keep their names; actions are the studio's tab names. */
const NAMED: Record<string, string> = { jpg: 'JPEG', png: 'PNG', webp: 'WebP', ...ru.actions };
/** As the settings form shows a value: `digital_illustration/pixel_art` → "Цифровая иллюстрация · Пиксель-арт". */
const value = (raw: string) => RU_VALUES[raw] ?? NAMED[raw] ?? raw.split('/').map((part) => RU_VALUES[part] ?? NAMED[part] ?? part).join(' · ');
/** Labels may hold commas themselves ("DPM-Solver, многошаговый"), so a list is joined with semicolons. */
const values = (list: string) => list.split(/,\s*/).map((item) => value(item.replace(/^"|"$/g, ''))).join('; ');
const images = (n: number) => `${n} ${plural(n, 'изображение', 'изображения', 'изображений')}`;
const TYPES: Record<string, string> = { number: 'Нужно число.', string: 'Нужен текст.', boolean: 'Нужно «да» или «нет».', array: 'Нужен список.', object: 'Нужен набор значений.', record: 'Нужен набор значений.' };

/** [shape, Russian]: the first shape that matches the whole message wins, so the specific ones come first. */
const SHAPES: Array<[RegExp, (...groups: string[]) => string]> = [
  // dotbase's zod error map (settings) and the server's own request schemas
  [/^must be one of:? (.+)$/, (list) => `Допустимые значения: ${values(list!)}.`],
  [/^must be a whole number$/, () => 'Нужно целое число.'],
  [/^must be an? (number|string|boolean|array|object)$/, (type) => TYPES[type!]!],
  [/^must be at most (\d+) characters$/, (n) => `Не длиннее ${n} ${plural(Number(n), 'символа', 'символов', 'символов')}.`],
  [/^must be at least (\S+)$/, (n) => `Не меньше ${n}.`],
  [/^must be at most (\S+)$/, (n) => `Не больше ${n}.`],
  [/^must be more than (\S+)$/, (n) => `Больше ${n}.`],
  [/^must be less than (\S+)$/, (n) => `Меньше ${n}.`],
  [/^must be 1 or more$/, () => 'Не меньше 1.'],
  [/^must be a multiple of (\S+)$/, (n) => `Должно быть кратно ${n}.`],
  [/^must (?:match .+|be a valid .+)$/, () => 'Неверный формат.'],
  [/^this model makes one image per run, so num_outputs can only be 1$/, () => `Эта модель делает одно изображение за запуск: ${field('num_outputs')} может быть только 1.`],
  // zod's own wording, where a request schema of the server sets none
  [/^Invalid input: expected (number|string|boolean|array|object|record), received \w+$/, (type) => TYPES[type!]!],
  [/^Invalid input: expected int, received \w+$/, () => 'Нужно целое число.'],
  [/^Invalid option: expected one of (.+)$/, (list) => `Допустимые значения: ${values(list!.replace(/\|/g, ', '))}.`],
  [/^Too small: expected \w+ to have >=?(\d+) (?:characters|items)$/, (n) => `Слишком мало: нужно не меньше ${n}.`],
  [/^Too big: expected \w+ to have <=?(\d+) (?:characters|items)$/, (n) => `Слишком много: нужно не больше ${n}.`],
  [/^Too small: expected number to be >=?(\S+)$/, (n) => `Не меньше ${n}.`],
  [/^Too big: expected number to be <=?(\S+)$/, (n) => `Не больше ${n}.`],
  [/^Unrecognized keys?: (.+)$/, (keys) => `Неизвестные поля: ${keys.replace(/"/g, '')}.`],
  [/^must be an upload id or an https URL$/, () => 'Нужен id загрузки или ссылка https.'],
  [/^must be a list$/, () => 'Нужен список.'],
  [/^must be (.+)$/, (only) => `Допустимо только: ${value(only!)}.`],
  [/^is required$/, () => 'Обязательное поле.'],
  [/^(.+) has no setting "(.+?)" \(.*\)$/, (model, name) => `У модели ${model} нет настройки ${field(name!)}.`],
  [/^no upload with id (.+)$/, (id) => `Нет загрузки с id ${id}.`],
  [/^URL .+$/, () => 'Сервер не принимает эту ссылку: нужна общедоступная ссылка https на изображение.'],
  // the registry's checks of images, mask and prompt for the chosen action
  [/^(.+) takes no input images for \S+, got \d+$/, (model) => `${model} не принимает исходные изображения.`],
  [/^(.+) takes exactly (\d+) input images? for \S+, got (\d+)$/, (model, n, got) => `${model} нужно ровно ${images(Number(n))}, а выбрано ${got}.`],
  [/^(.+) takes (\d+) to (\d+) input images for \S+, got (\d+)$/, (model, min, max, got) => `${model} нужно от ${min} до ${max} изображений, а выбрано ${got}.`],
  [/^(.+) takes no mask for \S+$/, (model) => `${model} не принимает маску.`],
  [/^(.+) needs a mask for \S+ .*$/, (model) => `${model} нужна маска (белое — перерисовать, чёрное — оставить).`],
  [/^(.+) takes no prompt for \S+$/, (model) => `${model} не принимает запрос.`],
  [/^(.+) needs a prompt for \S+$/, (model) => `${model} нужен запрос.`],
  [/^(.+) does not serve ".+?"; it serves: .+$/, (model) => `${model} не выполняет это действие.`],
  // the models' own rules (packages/core/src/models/seed)
  [/^only applies with an input image .*$/, () => 'Действует только с исходным изображением.'],
  [/^does not apply with an input image .*$/, () => 'Не действует с исходным изображением: результат сохраняет его пропорции.'],
  [/^cannot be combined with aspect_ratio.*$/, () => `Нельзя вместе с настройкой ${field('aspect_ratio')}: укажите что-то одно.`],
  [/^is not used with size "custom".*$/, () => `Не используется со своим размером: задайте ${field('width')} и ${field('height')}.`],
  [/^only applies with size "custom"$/, () => 'Действует только со своим размером.'],
  [/^match_input_image needs an input image; use one of: (.+)$/, (list) => `«${value('match_input_image')}» работает только с исходным изображением; выберите: ${values(list!)}.`],
  [
    /^input images plus outputs may not exceed (\d+); with (\d+) input images, at most (\d+)$/,
    (total, given, most) => `Исходных изображений и результатов вместе не больше ${total}: при ${given} исходных — не больше ${most}.`,
  ],
  [/^inpainting with (.+) needs a mask with the input image$/, (model) => `Для перерисовки ${model} нужна маска к исходному изображению.`],
  [/^a mask needs the input image it applies to$/, () => 'Маске нужно исходное изображение, к которому она относится.'],
  [/^does not apply when inpainting .*$/, () => 'Не действует при перерисовке по маске: результат сохраняет размер исходного.'],
  [/^only applies with style_type Auto or General \(or None\), not (.+)$/, (type) => `Действует только с типом стиля «${value('Auto')}» или «${value('General')}», а выбран «${value(type!)}».`],
  [/^is ignored by (.+?) when outpainting .*$/, (model) => `${model} не использует маску при дорисовке за краями: уберите маску или выключите дорисовку.`],
  [/^(.+) needs a mask to inpaint .*$/, (model) => `${model} нужна маска для перерисовки (белое — перерисовать, чёрное — оставить) или дорисовка за краями.`],
];

/** A server issue's message in Russian, or undefined when it has no known shape (then the server's text is shown). */
export function russianIssue(message: string): string | undefined {
  for (const [shape, say] of SHAPES) {
    const match = shape.exec(message);
    if (match) return say(...match.slice(1));
  }
  return undefined;
}

import type { BatchStrings } from './batch.js';

/** The batch view in Russian (shipped in `dotbase-ru.js`, see ru-pack.ts). */
export const ruBatch: BatchStrings = {
  lang: 'ru',
  title: (count) => `Пакет из ${count} изображений`,
  summary: (done, total) => `Готово ${done} из ${total}`,
  item: (index) => `Изображение ${index + 1}`,
  status: { pending: 'В очереди', processing: 'В работе', completed: 'Готово', failed: 'Ошибка', canceled: 'Отменено' },
  downloadAll: 'Скачать всё',
  cancel: 'Отменить пакет',
  open: 'Открыть',
  startFailed: 'Не удалось запустить пакет.',
};

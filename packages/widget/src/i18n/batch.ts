/** The batch view's words. Kept beside the main dictionaries so the batch feature stays in files of its own. */
export interface BatchStrings {
  lang: string;
  title: (count: number) => string;
  summary: (done: number, total: number) => string;
  item: (index: number) => string;
  status: Record<'pending' | 'processing' | 'completed' | 'failed' | 'canceled', string>;
  downloadAll: string;
  cancel: string;
  open: string;
  startFailed: string;
}

const en: BatchStrings = {
  lang: 'en',
  title: (count) => `Batch of ${count} images`,
  summary: (done, total) => `${done} of ${total} done`,
  item: (index) => `Image ${index + 1}`,
  status: { pending: 'Waiting', processing: 'Working', completed: 'Done', failed: 'Failed', canceled: 'Canceled' },
  downloadAll: 'Download all',
  cancel: 'Cancel batch',
  open: 'Open',
  startFailed: 'The batch could not be started.',
};

const ru: BatchStrings = {
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

export function batchStringsFor(lang: string): BatchStrings {
  return lang === 'ru' ? ru : en;
}

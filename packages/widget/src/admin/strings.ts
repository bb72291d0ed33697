import type { AdminToken } from './api.js';
import type { DurationUnits } from './format.js';
import type { Action, GenerationStatus } from '../api/types.js';

/** The dashboard's own words, in the studio's two languages; loaded with the dashboard, not with the studio. */
export interface AdminStrings {
  lang: string;
  units: DurationUnits;
  title: string;
  window: (hours: number) => string;
  updated: (time: string) => string;
  refresh: string;
  loading: string;
  forbidden: string;
  signIn: string;
  failedToLoad: string;
  tiles: { total: string; completed: string; failed: string; inFlight: string; avg: string; p95: string };
  perHour: string;
  perHourLabel: (total: number, hours: number) => string;
  byAction: string;
  columns: { action: string; status: string; count: string; avg: string; p95: string };
  reasons: string;
  noFailures: string;
  tokens: string;
  tokenColumns: { token: string; status: string; requests: string; errors: string; inFlight: string; cooldown: string; lastError: string };
  tokenStatus: Record<AdminToken['status'], string>;
  disable: string;
  enable: string;
  recentErrors: string;
  errorColumns: { when: string; user: string; what: string; error: string };
  users: string;
  userColumns: { user: string; total: string };
  moreUsers: (shown: number, total: number) => string;
  none: string;
  actions: Record<Action, string>;
  statuses: Record<GenerationStatus, string>;
}

const en: AdminStrings = {
  lang: 'en',
  units: { ms: 'ms', s: 's', min: 'min' },
  title: 'Admin dashboard',
  window: (hours) => `Last ${hours} h`,
  updated: (time) => `updated ${time}`,
  refresh: 'Refresh',
  loading: 'Loading…',
  forbidden: 'Only admins can see this dashboard.',
  signIn: 'Sign in as an admin to see this dashboard.',
  failedToLoad: 'The dashboard could not be loaded:',
  tiles: { total: 'Generations', completed: 'Completed', failed: 'Failed', inFlight: 'In flight', avg: 'Average time', p95: 'p95 time' },
  perHour: 'Generations per hour',
  perHourLabel: (total, hours) => `${total} generations in the last ${hours} hours, per hour and status`,
  byAction: 'By action and status',
  columns: { action: 'Action', status: 'Status', count: 'Count', avg: 'Average', p95: 'p95' },
  reasons: 'Failure reasons',
  noFailures: 'No failures in this window.',
  tokens: 'Token pool',
  tokenColumns: { token: 'Token', status: 'Status', requests: 'Requests', errors: 'Errors', inFlight: 'In flight', cooldown: 'Cooldown', lastError: 'Last error' },
  tokenStatus: { ready: 'Ready', busy: 'Busy', cooling: 'Cooling down', disabled: 'Disabled' },
  disable: 'Disable',
  enable: 'Enable',
  recentErrors: 'Recent errors',
  errorColumns: { when: 'When', user: 'User', what: 'Action · model', error: 'Error' },
  users: 'Users',
  userColumns: { user: 'User', total: 'Total' },
  moreUsers: (shown, total) => `Showing ${shown} of ${total} users.`,
  none: 'Nothing yet.',
  actions: { create: 'Create', edit: 'Edit', upscale: 'Upscale', 'remove-bg': 'Remove background' },
  statuses: { pending: 'Pending', processing: 'Processing', completed: 'Completed', failed: 'Failed', canceled: 'Canceled' },
};

const ru: AdminStrings = {
  lang: 'ru',
  units: { ms: 'мс', s: 'с', min: 'мин' },
  title: 'Панель администратора',
  window: (hours) => `За ${hours} ч`,
  updated: (time) => `обновлено в ${time}`,
  refresh: 'Обновить',
  loading: 'Загрузка…',
  forbidden: 'Эта панель доступна только администраторам.',
  signIn: 'Войдите как администратор, чтобы увидеть панель.',
  failedToLoad: 'Не удалось загрузить панель:',
  tiles: { total: 'Генерации', completed: 'Готово', failed: 'Ошибки', inFlight: 'Выполняются', avg: 'Среднее время', p95: 'Время p95' },
  perHour: 'Генерации по часам',
  perHourLabel: (total, hours) => `${total} генераций за последние ${hours} ч, по часам и статусам`,
  byAction: 'По действиям и статусам',
  columns: { action: 'Действие', status: 'Статус', count: 'Количество', avg: 'Среднее', p95: 'p95' },
  reasons: 'Причины ошибок',
  noFailures: 'Ошибок за этот период нет.',
  tokens: 'Пул токенов',
  tokenColumns: { token: 'Токен', status: 'Статус', requests: 'Запросы', errors: 'Ошибки', inFlight: 'Выполняются', cooldown: 'Пауза', lastError: 'Последняя ошибка' },
  tokenStatus: { ready: 'Готов', busy: 'Занят', cooling: 'Пауза', disabled: 'Выключен' },
  disable: 'Выключить',
  enable: 'Включить',
  recentErrors: 'Последние ошибки',
  errorColumns: { when: 'Когда', user: 'Пользователь', what: 'Действие · модель', error: 'Ошибка' },
  users: 'Пользователи',
  userColumns: { user: 'Пользователь', total: 'Всего' },
  moreUsers: (shown, total) => `Показано ${shown} из ${total} пользователей.`,
  none: 'Пока пусто.',
  actions: { create: 'Создание', edit: 'Редактирование', upscale: 'Увеличение', 'remove-bg': 'Удаление фона' },
  statuses: { pending: 'В очереди', processing: 'Выполняется', completed: 'Готово', failed: 'Ошибка', canceled: 'Отменено' },
};

export function adminStringsFor(locale: string | undefined): AdminStrings {
  return locale?.toLowerCase().startsWith('ru') ? ru : en;
}

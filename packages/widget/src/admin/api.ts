import type { ApiClient } from '../api/client.js';
import type { Action, GenerationStatus } from '../api/types.js';

/** The admin API's shapes, as on the wire (see the server's `/api/admin/*` routes and openapi.json). */
export interface AdminToken {
  id: string;
  status: 'ready' | 'busy' | 'cooling' | 'disabled';
  is_active: boolean;
  request_count: number;
  error_count: number;
  in_flight: number;
  last_used_at: number | null;
  last_error: string | null;
  cooldown_until: number | null;
}

export type StatusCounts = Partial<Record<GenerationStatus, number>>;

export interface ActivityRow {
  action: Action;
  status: GenerationStatus;
  count: number;
  avg_processing_time_ms: number | null;
  p95_processing_time_ms: number | null;
}

export interface RecentFailure {
  id: string;
  user_id: string;
  action: Action;
  model_id: string;
  error: string;
  created_at: number;
  completed_at: number | null;
}

export interface Activity {
  since: number;
  now: number;
  bucket_ms: number;
  rows: ActivityRow[];
  series: Array<{ start: number; counts: StatusCounts }>;
  failure_reasons: Array<{ reason: string; count: number }>;
  recent_failures: RecentFailure[];
}

export interface AdminUser {
  user_id: string;
  total: number;
  counts: StatusCounts;
}

export interface Overview {
  tokens: AdminToken[];
  activity: Activity;
  users: AdminUser[];
  usersTotal: number;
}

/** Everything the dashboard shows, in one round of parallel requests. */
export async function loadOverview(client: ApiClient, hours: number, signal?: AbortSignal): Promise<Overview> {
  const [tokens, activity, users] = await Promise.all([
    client.request<{ items: AdminToken[] }>('GET', '/api/admin/tokens', undefined, signal),
    client.request<Activity>('GET', `/api/admin/activity?hours=${hours}`, undefined, signal),
    client.request<{ items: AdminUser[]; total: number }>('GET', '/api/admin/users?limit=100', undefined, signal),
  ]);
  return { tokens: tokens.items, activity, users: users.items, usersTotal: users.total };
}

export function setTokenActive(client: ApiClient, id: string, active: boolean): Promise<AdminToken> {
  return client.request('PATCH', `/api/admin/tokens/${encodeURIComponent(id)}`, { is_active: active });
}

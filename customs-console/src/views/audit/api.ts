import { qs, request } from '../../api.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are shown as the server sends them
export type Loose = Record<string, any>;

export interface AuditFilters {
  username?: string;
  route?: string;
  method?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

/** The audit area's call: the log of every customs user's request, newest first. */
export const auditApi = {
  page: (filters: AuditFilters, before?: number) =>
    request<{ items: Loose[]; nextBefore: number | null }>(
      'GET',
      `/api/customs/audit${qs({ ...filters, before, limit: 100 })}`,
    ),
};

import type { TraceKind } from '@wms/contracts';
import { qs, request } from '../../api.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are shown as the server sends them
export type Loose = Record<string, any>;

export interface TraceMatchRow {
  kind: TraceKind;
  ref: string;
  label: string;
  matchedBy: string;
}

/** The trace area's calls: what a code is, and an object's timeline. */
export const traceApi = {
  search: (code: string) =>
    request<{ code: string; matches: TraceMatchRow[] }>('GET', `/api/customs/trace/search${qs({ code })}`),
  timeline: (kind: TraceKind, ref: string) => request<Loose>('GET', `/api/customs/trace/timeline${qs({ kind, ref })}`),
};

import { onMounted, type Ref, ref, watch } from 'vue';
import { ApiError, isRouteMissing } from './api.js';
import { state } from './state.js';

export interface Loaded<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  /** The server's words when it refused, for the page to show. */
  error: Ref<string>;
  /** The server does not offer this route yet (404 on the list itself): "not available yet". */
  missing: Ref<boolean>;
  reload(): Promise<void>;
}

/**
 * Loads a page's data on mount and again whenever a `seller.changed` event of one of `kinds`
 * arrives, so what the seller sees follows the warehouse without a reload.
 */
export function useLoad<T>(load: () => Promise<T>, kinds: string[] = []): Loaded<T> {
  const data = ref(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref('');
  const missing = ref(false);
  let running: Promise<void> | null = null;
  let again = false;
  async function reload(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    loading.value = true;
    running = (async () => {
      do {
        again = false;
        try {
          data.value = await load();
          error.value = '';
          missing.value = false;
        } catch (e) {
          if (isRouteMissing(e)) missing.value = true;
          else error.value = e instanceof ApiError ? e.message || e.code : String(e);
        }
      } while (again);
    })().finally(() => {
      loading.value = false;
      running = null;
    });
    return running;
  }
  onMounted(reload);
  if (kinds.length)
    watch(
      () => kinds.map((k) => state.changes[k] ?? 0).join(),
      () => void reload(),
    );
  return { data, loading, error, missing, reload };
}

/** The server's words for a refusal (or the network's). */
export const messageOf = (e: unknown) => (e instanceof ApiError ? e.message || e.code : String(e));

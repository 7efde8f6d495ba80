import { onMounted, type Ref, ref, watch } from 'vue';
import { isRouteMissing, messageOf } from './client.js';

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
 * The page loader of an app whose live feed bumps `changes[kind]`: `useLoad(load, kinds)` loads on
 * mount and again whenever a change of one of `kinds` arrives, so what the user sees follows the
 * warehouse without a reload. Loads never overlap: a change during a load runs one more after it.
 */
export function loaderFor(changes: Record<string, number>) {
  return function useLoad<T>(load: () => Promise<T>, kinds: string[] = []): Loaded<T> {
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
            else error.value = messageOf(e);
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
        () => kinds.map((k) => changes[k] ?? 0).join(),
        () => void reload(),
      );
    return { data, loading, error, missing, reload };
  };
}

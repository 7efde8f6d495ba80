import { onMounted, ref } from 'vue';
import { inventoryApi } from './api.js';

/** The bonded centre the inventory pages show, shared by them (the first bonded centre by default). */
const chosen = ref('');
const centres = ref<Array<{ code: string; name: string }>>([]);

export function useCentre() {
  onMounted(async () => {
    if (centres.value.length) return;
    const { items } = await inventoryApi.warehouses();
    centres.value = items.filter((w) => w.kind === 'bonded-centre').map((w) => ({ code: w.code, name: w.name }));
    if (!chosen.value && centres.value.length) chosen.value = centres.value[0].code;
  });
  return { chosen, centres };
}

import { createRouter, createWebHashHistory } from 'vue-router';
import { areas } from './areas.js';

/** Hash routes: the server serves one index.html at /customs/, every page lives after the #. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: areas[0]?.menu[0]?.path ?? '/overview' },
    ...areas.flatMap((a) => a.routes),
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

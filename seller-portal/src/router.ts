import { createRouter, createWebHashHistory } from 'vue-router';

/** Hash routes: the server serves one index.html at /seller/, every page lives after the #. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/dashboard' },
    { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
    { path: '/skus', name: 'skus', component: () => import('./views/SkusView.vue') },
    { path: '/shipments', name: 'shipments', component: () => import('./views/ShipmentsView.vue') },
    {
      path: '/shipments/:no',
      name: 'shipment',
      component: () => import('./views/ShipmentDetailView.vue'),
      props: true,
    },
    { path: '/stock', name: 'stock', component: () => import('./views/StockView.vue') },
    { path: '/orders', name: 'orders', component: () => import('./views/OrdersView.vue') },
    { path: '/returns', name: 'returns', component: () => import('./views/ReturnsView.vue') },
    { path: '/api-keys', name: 'api-keys', component: () => import('./views/ApiKeysView.vue') },
    { path: '/:rest(.*)*', redirect: '/dashboard' },
  ],
});

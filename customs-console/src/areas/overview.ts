import { defineArea } from '../area.js';

/** The console's first page: the live feed of what changed, and where to look. */
export default defineArea({
  order: 0,
  menu: [{ path: '/overview', label: { zh: '实时动态', en: 'Live feed' } }],
  routes: [{ path: '/overview', name: 'overview', component: () => import('../views/overview/OverviewView.vue') }],
  messages: {
    en: {
      title: 'What is changing in the centre',
      empty:
        'Nothing has changed since you signed in. Holds, inspections, warnings, receipts and stock changes appear here as they happen.',
      at: 'Time',
      kind: 'What',
      ref: 'Reference',
      summary: 'Detail',
      areas: 'Where to look',
    },
    zh: {
      title: '监管动态',
      empty: '登录以来暂无变化。扣留、查验、风险预警、回执和库存变化将实时显示在这里。',
      at: '时间',
      kind: '类别',
      ref: '单号',
      summary: '说明',
      areas: '功能入口',
    },
  },
});

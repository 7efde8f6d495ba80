import { defineArea } from '../area.js';

/** The audit log (责任可究): every read and action of a customs user, who, what, when and how it ended. */
export default defineArea({
  order: 90,
  menu: [{ path: '/audit', label: { zh: '操作审计', en: 'Audit log' } }],
  routes: [{ path: '/audit', name: 'audit', component: () => import('../views/audit/AuditView.vue') }],
  messages: {
    en: {
      title: 'Audit log: every request by a customs user',
      note: 'Written by the server for every request of a customs login, reads included; no one can change or delete it.',
      user: 'Officer',
      route: 'Route contains',
      method: 'Method',
      outcome: 'Outcome',
      outcomes: { ok: 'done', refused: 'refused', failed: 'failed' },
      at: 'When',
      what: 'What',
      params: 'Parameters',
      status: 'Status',
      more: 'Older entries',
    },
    zh: {
      title: '操作审计：海关账号的每一次请求',
      note: '服务器记录海关账号的每一次请求（包括查询），任何人都不能修改或删除。',
      user: '关员',
      route: '接口包含',
      method: '方法',
      outcome: '结果',
      outcomes: { ok: '成功', refused: '被拒绝', failed: '失败' },
      at: '时间',
      what: '操作',
      params: '参数',
      status: '状态码',
      more: '更早的记录',
    },
  },
});

/** What the desktop apps share; each app wraps it in its own api.ts / state.ts. */
export * from './client.js';
export * from './format.js';
export * from './i18n.js';
export * from './live.js';
export * from './load.js';
export * from './sheet.js';
export * from './shell.js';

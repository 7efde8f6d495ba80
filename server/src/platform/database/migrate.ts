#!/usr/bin/env node
// `npm run migrate`: applies the reviewed migrations to DATABASE_URL.
import { appDatabaseUrl, ensureAppLogin } from './app-role.js';
import { createOrm, migrateUp } from './orm.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/wms npm run migrate',
  );
  process.exit(2);
}
const orm = await createOrm({ databaseUrl, poolMax: 2 });
try {
  const applied = await migrateUp(orm);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await orm.close();
}
// The application signs in as wms_app: with a derived URL, make sure it can (see app-role.ts).
const appDb = appDatabaseUrl({
  DATABASE_URL: databaseUrl,
  DATABASE_APP_URL: process.env.DATABASE_APP_URL,
  DATABASE_APP_PASSWORD: process.env.DATABASE_APP_PASSWORD,
});
if (appDb.derived) await ensureAppLogin(databaseUrl, appDb.url);

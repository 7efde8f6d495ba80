#!/usr/bin/env node
// node server/dist/tools/provision.js <spec.json>: users, stations, agents and devices for a site.
import { readFileSync } from 'node:fs';
import { createOrm } from '../platform/database/orm.js';
import { provision, provisioningSchema } from '../platform/provisioning.js';

const file = process.argv[2];
const databaseUrl = process.env.DATABASE_URL;
if (!file || !databaseUrl) {
  console.error('usage: DATABASE_URL=postgres://… node server/dist/tools/provision.js <spec.json>');
  process.exit(2);
}
const parsed = provisioningSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.success) {
  console.error(
    `${file} is not valid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );
  process.exit(2);
}
const orm = await createOrm({ databaseUrl, poolMax: 2 });
try {
  const done = await provision(orm, parsed.data);
  console.log(`provisioned ${done.users} users, ${done.agents} agents, ${done.devices} devices`);
} catch (error) {
  console.error(`provisioning failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await orm.close();
}

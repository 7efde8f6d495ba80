#!/usr/bin/env node
// node server/dist/tools/provision.js <spec.json>: users, stations, agents and devices for a site.
import { readFileSync } from 'node:fs';
import { brokerIdentity } from '@wms/contracts';
import { provision, provisioningSchema } from '../modules/devices/provisioning.js';
import { createOrm } from '../platform/database/orm.js';
import { DynsecAccounts } from '../platform/mqtt/broker-accounts.js';
import { MqttService } from '../platform/mqtt/mqtt.service.js';

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
// With MQTT_BROKER_ACCOUNTS=dynsec the agents and handhelds also get their Mosquitto accounts
// (dynamic security), created through the server's service account (MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD).
const mqtt = process.env.MQTT_BROKER_ACCOUNTS === 'dynsec' ? new MqttService() : null;
try {
  let accounts: DynsecAccounts | undefined;
  if (mqtt) {
    const { MQTT_URL: url, MQTT_USERNAME: username, MQTT_PASSWORD: password } = process.env;
    if (!url || !username)
      throw new Error('MQTT_BROKER_ACCOUNTS=dynsec needs MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD');
    await mqtt.connect({
      url,
      clientId: brokerIdentity.serverClientId(`provision-${process.pid}`),
      username,
      password,
      protocolVersion: 5,
    });
    accounts = new DynsecAccounts(mqtt);
    await accounts.ensureServiceRole(username);
  }
  const done = await provision(orm, parsed.data, process.env, accounts);
  console.log(
    `provisioned ${done.users} users, ${done.agents} agents, ${done.devices} devices${accounts ? ' (and their broker accounts)' : ''}`,
  );
} catch (error) {
  console.error(`provisioning failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await mqtt?.close();
  await orm.close();
}

#!/usr/bin/env node
import { startServer } from './app.factory.js';
import { ConfigError, loadConfig } from './platform/config/app-config.js';

try {
  const config = loadConfig();
  // Production applies migrations with `npm run migrate`; MIGRATE_ON_START=true is for dev and compose.
  const server = await startServer(config, { migrate: process.env.MIGRATE_ON_START === 'true' });
  console.log(JSON.stringify({ level: 'log', msg: 'server listening', url: server.url }));
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `server failed to start: ${(error as Error).stack ?? error}`,
  );
  process.exit(1);
}

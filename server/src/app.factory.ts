import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import { AuditRepository } from './platform/audit/audit.repository.js';
import { auditTrail } from './platform/audit/audit-trail.js';
import { parseApiKey, secretMatches } from './platform/auth/api-key.js';
import { ApiKeysRepository } from './platform/auth/api-keys.repository.js';
import { TokenService } from './platform/auth/token.service.js';
import type { AppConfig } from './platform/config/app-config.js';
import { appDatabaseUrl, ensureAppLogin } from './platform/database/app-role.js';
import { createOrm, migrateUp } from './platform/database/orm.js';
import { SqlRunner, TENANT_SQL } from './platform/database/sql.js';
import { API_DESCRIPTION, TOKEN_HELP, zodToOpenApi } from './platform/http/api-docs.js';
import { jsonBodyWithLimits } from './platform/http/body-limits.js';

export interface ServerApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Builds and starts the server: database (migrations applied only when asked), MQTT (external or
 * embedded), HTTP + OpenAPI + socket.io, and the built scanner UI and seller portal when they are there.
 */
export async function startServer(config: AppConfig, options: { migrate?: boolean } = {}): Promise<ServerApp> {
  const appDb = appDatabaseUrl(config);
  if (options.migrate) {
    // Migrations run as the owner of the tables; the application then connects as wms_app.
    const owner = await createOrm({ databaseUrl: config.DATABASE_URL, poolMax: 2 });
    try {
      await migrateUp(owner);
    } finally {
      await owner.close();
    }
    if (appDb.derived) await ensureAppLogin(config.DATABASE_URL, appDb.url);
  }
  const orm = await createOrm({ databaseUrl: appDb.url, poolMax: config.DATABASE_POOL_MAX });
  const logger = new ConsoleLogger({
    json: config.LOG_FORMAT === 'json',
    prefix: 'wms',
    colors: config.LOG_FORMAT !== 'json',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.with(config, orm), {
    logger,
    abortOnError: false,
    // JSON is parsed by jsonBodyWithLimits: small bodies by default, large ones only for bulk imports
    bodyParser: false,
  });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  if (config.HTTP_TRUST_PROXY)
    app.set(
      'trust proxy',
      /^\d+$/.test(config.HTTP_TRUST_PROXY) ? Number(config.HTTP_TRUST_PROXY) : config.HTTP_TRUST_PROXY,
    );
  app.use(
    helmet({
      // The scanner UI and the API docs load only their own scripts; socket.io is same-origin.
      // No upgrade-insecure-requests: a site server is often reached over plain HTTP on the LAN.
      contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
      frameguard: { action: 'deny' },
    }),
  );
  // every request by a customs user, reads included, on the record (issue 13)
  app.use(auditTrail(app.get(AuditRepository)));
  const tokens = app.get(TokenService);
  const apiKeys = app.get(ApiKeysRepository);
  app.use(
    jsonBodyWithLimits({
      verifyToken: (token) => tokens.verify(token),
      verifyApiKey: async (text) => {
        const parsed = parseApiKey(text);
        const key = parsed ? await apiKeys.usable(parsed.prefix) : null;
        if (!parsed || !key || !secretMatches(parsed.secret, key.secretHash)) throw new Error('not a usable key');
      },
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bonded WMS')
      .setDescription(API_DESCRIPTION)
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: TOKEN_HELP })
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description:
            'A seller API key (wmsk_…), on the /api/seller routes that accept one; "Authorization: Bearer wmsk_…" works too',
        },
        'apiKey',
      )
      .build(),
    { standardSchemaConverter: zodToOpenApi },
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
  if (config.UI_DIST_DIR && existsSync(config.UI_DIST_DIR)) {
    app.useStaticAssets(config.UI_DIST_DIR, { index: 'index.html' });
  }
  // the sellers' portal (issue 12): its own app, built with base /seller/
  if (config.SELLER_UI_DIST_DIR && existsSync(config.SELLER_UI_DIST_DIR)) {
    app.useStaticAssets(config.SELLER_UI_DIST_DIR, { prefix: '/seller/', index: 'index.html' });
  }
  // the customs officer's console (issue 13): its own app, built with base /customs/
  if (config.CUSTOMS_UI_DIST_DIR && existsSync(config.CUSTOMS_UI_DIST_DIR)) {
    app.useStaticAssets(config.CUSTOMS_UI_DIST_DIR, { prefix: '/customs/', index: 'index.html' });
  }
  // The port opens once the database pools are connected: a restart during a shift takes its first
  // scans on open connections (issue 11, scan_restart_15s_p99_ms in the bench).
  await Promise.all([
    app.get(SqlRunner).warm(),
    app.get<SqlRunner>(TENANT_SQL).warm(),
    ...Array.from({ length: Math.min(config.DATABASE_POOL_MAX, 4) }, () => orm.em.fork().execute('select 1')),
  ]);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

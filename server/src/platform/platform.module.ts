import type { MikroORM } from '@mikro-orm/postgresql';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditController } from './audit/audit.controller.js';
import { AuditRepository } from './audit/audit.repository.js';
import { ApiKeysRepository } from './auth/api-keys.repository.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { LoginThrottlerGuard, loginThrottlers } from './auth/login-throttler.guard.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { TokenService } from './auth/token.service.js';
import { UsersController } from './auth/users.controller.js';
import { UsersRepository } from './auth/users.repository.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { appDatabaseUrl } from './database/app-role.js';
import { DocNumbers } from './database/doc-numbers.js';
import { ORM } from './database/orm.js';
import { SqlRunner, TENANT_SQL } from './database/sql.js';
import { DomainEvents } from './events/domain-events.js';
import { AppErrorFilter } from './http/error.filter.js';
import { SchemaValidationPipe } from './http/zod-validation.pipe.js';

/**
 * Cross-cutting services every module may use: configuration, the ORM, domain events, auth.
 * The config and the ORM are created before Nest (see app.factory.ts) and handed in.
 */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly sql: SqlRunner,
    @Inject(TENANT_SQL) private readonly tenantSql: SqlRunner,
    private readonly audit: AuditRepository,
  ) {}

  static with(config: AppConfig, orm: MikroORM) {
    return {
      module: PlatformModule,
      imports: [ThrottlerModule.forRoot(loginThrottlers(config))],
      controllers: [AuthController, UsersController, AuditController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: ORM, useValue: orm },
        // plain transactions for the hot paths (scans, gate passes); a small pool of its own
        {
          provide: SqlRunner,
          useFactory: () => new SqlRunner(appDatabaseUrl(config).url, config.DATABASE_POOL_MAX, 'centre'),
        },
        // the sellers' requests: every transaction bound to its tenant (row-level security)
        {
          provide: TENANT_SQL,
          useFactory: () => new SqlRunner(appDatabaseUrl(config).url, config.DATABASE_SELLER_POOL_MAX, 'tenant'),
        },
        DomainEvents,
        DocNumbers,
        TokenService,
        ApiKeysRepository,
        UsersRepository,
        SessionsRepository,
        AuthService,
        AuditRepository,
        LoginThrottlerGuard,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_PIPE, useClass: SchemaValidationPipe },
      ],
      exports: [
        APP_CONFIG,
        ORM,
        SqlRunner,
        TENANT_SQL,
        DomainEvents,
        DocNumbers,
        TokenService,
        UsersRepository,
        AuditRepository,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.audit.flushed();
    await this.sql.close();
    await this.tenantSql.close();
    await this.orm.close();
  }
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../platform/auth/auth.guard.js';
import { ORM } from '../../platform/database/orm.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(MQTT) private readonly mqtt: MqttRuntime,
  ) {}

  @Public()
  @Get()
  @ApiAnswer({ description: 'Database and broker are up (503 when either is down)', anonymous: true })
  @ApiOperation({ summary: 'Database and broker status; 503 when either is down' })
  async health(@Res() response: Response) {
    let database: { status: 'up' | 'down'; error?: string };
    try {
      await this.orm.em.execute('select 1');
      database = { status: 'up' };
    } catch (error) {
      database = { status: 'down', error: (error as Error).message };
    }
    const broker = {
      status: this.mqtt.client.connected ? 'up' : 'down',
      embedded: !!this.mqtt.embedded,
      url: this.mqtt.brokerUrl,
    };
    const ok = database.status === 'up' && broker.status === 'up';
    response.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, broker });
  }
}

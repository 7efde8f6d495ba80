import type { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Public } from '../../platform/auth/auth.guard.js';
import { ORM } from '../../platform/database/orm.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';

const up = z.enum(['up', 'down']);
/** The health answer (200 when both are up; the same shape with 503 when either is down). */
const healthAnswer = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ status: up, error: z.string().optional().describe('Why it is down') }),
  broker: z.object({
    status: up,
    embedded: z.boolean().describe('The in-process broker (no MQTT_URL)'),
    url: z.string().describe('Where agents connect').meta({ example: 'mqtt://127.0.0.1:1883' }),
  }),
});

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('health');

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(MQTT) private readonly mqtt: MqttRuntime,
  ) {}

  @Public()
  @Get()
  @ApiAnswer({
    description: 'Database and broker are up (503 when either is down)',
    schema: healthAnswer,
    anonymous: true,
  })
  @ApiOperation({ summary: 'Database and broker status; 503 when either is down' })
  async health(@Res() response: Response) {
    let database: { status: 'up' | 'down'; error?: string };
    try {
      await this.orm.em.execute('select 1');
      database = { status: 'up' };
    } catch (error) {
      // the cause goes to the log; an anonymous caller learns only that it is down
      this.logger.warn({ msg: 'health: database does not answer', error: (error as Error).message });
      database = { status: 'down', error: 'the database does not answer: see the server log' };
    }
    const broker = {
      status: this.mqtt.client.connected ? ('up' as const) : ('down' as const),
      embedded: !!this.mqtt.embedded,
      url: this.mqtt.brokerUrl.replace(/\/\/[^@/]*@/, '//'),
    };
    const ok = database.status === 'up' && broker.status === 'up';
    const answer: z.infer<typeof healthAnswer> = { status: ok ? 'ok' : 'degraded', database, broker };
    response.status(ok ? 200 : 503).json(answer);
  }
}

import { Controller, Get, Logger } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import { SqlRunner } from '../../platform/database/sql.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { AppError } from '../../platform/http/app-error.js';

const readyAnswer = z.object({
  status: z.literal('ready'),
  database: z.literal('up').describe('A statement ran on the pool the floor scans use'),
});

/**
 * Whether this instance can serve the floor, for the staff and operators who watch it: one
 * statement (`select 1`) through the scans' own connection pool (SqlRunner), in one round trip.
 * Unlike the anonymous `GET /health`, it needs a sign-in, so it also proves the caller's session
 * is accepted; it is also the bench's measure of what a bare authenticated request costs.
 */
@ApiTags('health')
@ApiBearerAuth()
@Controller('api/health')
export class ReadinessController {
  private readonly logger = new Logger('health');

  constructor(private readonly sql: SqlRunner) {}

  @Get('ready')
  @Roles('staff', 'supervisor', 'admin')
  @ApiAnswer({ description: "The floor's database pool answers", schema: readyAnswer })
  @ApiOperation({ summary: "Ready for the floor: one statement on the scans' database pool" })
  async ready(): Promise<Answer<typeof readyAnswer>> {
    try {
      // BEGIN, the statement and COMMIT travel together: one round trip
      await this.sql.transaction((tx) => tx.executeAndCommit('select 1'));
    } catch (error) {
      this.logger.warn({ msg: 'ready: the database pool does not answer', error: (error as Error).message });
      throw new AppError('DEPENDENCY_DOWN', 'the database does not answer: see the server log');
    }
    return { status: 'ready', database: 'up' };
  }
}

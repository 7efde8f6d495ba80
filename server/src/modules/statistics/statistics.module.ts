import { Module } from '@nestjs/common';
import { StatisticsController } from './statistics.controller.js';
import { StatisticsRepository } from './statistics.repository.js';
import { StatisticsService } from './statistics.service.js';
import { StatisticsRollupJob } from './statistics-rollup.job.js';
import { StatisticsRollupRepository } from './statistics-rollup.repository.js';

/** Statistics from the declaration data (issue 13): rollups kept current by a job, and the console's reads. */
@Module({
  controllers: [StatisticsController],
  providers: [StatisticsRepository, StatisticsRollupRepository, StatisticsService, StatisticsRollupJob],
  exports: [StatisticsRollupJob],
})
export class StatisticsModule {}

import { Module } from '@nestjs/common';
import { TraceController } from './trace.controller.js';
import { TraceSearchRepository } from './trace-search.repository.js';

/** The officers' trace search and timelines (the trace events themselves are written by each room). */
@Module({ controllers: [TraceController], providers: [TraceSearchRepository] })
export class TraceModule {}

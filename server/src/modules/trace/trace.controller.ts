import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { traceSearchQuery, traceTimelineQuery } from '@wms/contracts';
import type { z } from 'zod';
import { Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { AppError } from '../../platform/http/app-error.js';
import { traceFound, traceTimeline } from './trace.answers.js';
import { TraceSearchRepository } from './trace-search.repository.js';
import { normaliseCode, summarise } from './trace-search.rules.js';

/** Trace for customs (issue 13, DOMAIN.md §7): one search box, and any object's timeline. Read only. */
@ApiTags('customs')
@ApiBearerAuth()
@Controller('api/customs/trace')
@Roles('customs', 'supervisor')
export class TraceController {
  constructor(private readonly search: TraceSearchRepository) {}

  @Get('search')
  @ApiAnswer({ description: 'What the code is', schema: traceFound })
  @ApiOperation({
    summary:
      'Find what a code is: a parcel (logisticsNo, orderNo, invtNo, copNo, entryId, gate pass, its SSCC), a bag or pallet (SSCC), a trip or release note, a book line',
  })
  async find(
    @Query({ schema: traceSearchQuery }) q: z.infer<typeof traceSearchQuery>,
  ): Promise<Answer<typeof traceFound>> {
    return { code: normaliseCode(q.code), matches: await this.search.search(q.code) };
  }

  @Get('timeline')
  @ApiAnswer({ description: 'The documents and the timeline, oldest first', schema: traceTimeline })
  @ApiOperation({
    summary:
      'The timeline of a parcel, unit (SSCC), trip or book line: who, where (station, device), when, which documents, with weights and labels',
  })
  async timeline(
    @Query({ schema: traceTimelineQuery }) q: z.infer<typeof traceTimelineQuery>,
  ): Promise<Answer<typeof traceTimeline>> {
    const found = await this.search.timeline(q.kind, q.kind === 'unit' ? normaliseCode(q.ref) : q.ref);
    if (!found)
      throw new AppError(
        'NOT_FOUND',
        `no ${q.kind} ${q.ref} is known: search the code with GET /api/customs/trace/search?code=${encodeURIComponent(q.ref)}`,
      );
    return {
      ...found,
      documents: Object.fromEntries(
        Object.entries(found.documents).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
      ),
      timeline: found.timeline.map((e) => ({ ...e, summary: summarise(e) })),
    };
  }
}

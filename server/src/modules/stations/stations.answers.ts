import { stationAnswer, stationState } from '@wms/contracts';
import { z } from 'zod';
import { itemsOf } from '../../platform/http/answer-fields.js';

/** What the station routes answer, for the OpenAPI document. */
export const stationsStates = itemsOf(stationState, 'Every station with its job (null: none set)');
export const stationDetail = stationState.extend({
  lastAnswers: z
    .array(stationAnswer)
    .describe("The station's last answers, newest first (what its screen catches up on)"),
});
export { stationAnswer, stationState };

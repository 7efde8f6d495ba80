import { z } from 'zod';
import { floorOperation } from './floor-answers.js';

/**
 * A station's job (issue 11): what a scan at the station is for. `pack` is the packing bench:
 * pack the scanned parcel, weigh it on the station scale, print its label on the station printer.
 */
export const stationJobKind = floorOperation.describe(
  'receive | putaway | pick | pack (pack, weigh, label) | load | gate | inspection | returns | stocktake',
);
export type StationJobKind = z.infer<typeof stationJobKind>;
/** A job or none (null): written as a union, so the OpenAPI document lets null through as well. */
const jobOrNone = z.union([stationJobKind, z.null()]);

/** `PUT /api/floor/stations/:id/mode`: the job, its warehouse and its context. */
export const stationModeInput = z.strictObject({
  job: stationJobKind,
  warehouseCode: z.string().trim().min(1).max(30).meta({ example: 'BC01' }),
  deliveryNo: z.string().trim().min(1).max(64).optional().describe('receive: the open delivery being counted'),
  stocktakeNo: z.string().trim().min(1).max(64).optional().describe('stocktake: the open count'),
  tripNo: z.string().trim().min(1).max(64).optional().describe('load: the vehicle trip being loaded (optional)'),
});
export type StationModeInput = z.infer<typeof stationModeInput>;

/**
 * What the server decided about one scan or weight from a station device: the station room's
 * `station.answered` event, an MQTT handheld's answer topic, and the station's last answers.
 * `held`: the parcel was weighed out of tolerance and put on hold; `noted`: a weight with nothing
 * to weigh (no parcel on the bench, or a job that does not weigh).
 */
export const stationAnswer = z
  .object({
    eventId: z.uuid().describe('The scan or weight event the answer is to (the floor scan id)'),
    stationId: z.string().meta({ example: 'ST01' }),
    deviceId: z.string().meta({ example: 'ST01-SCANNER' }),
    kind: z.enum(['scan', 'weight']),
    job: jobOrNone.describe('The job the station had (null: none set)'),
    code: z.string().nullable().describe('The scanned code (null for a weight)'),
    grossGrams: z.number().int().nullable().describe('The weight (null for a scan)'),
    outcome: z.enum(['ok', 'refused', 'held', 'noted']),
    message: z.string().meta({ example: 'parcel YT123 packed, weighed 0.620 kg, label printed' }),
    next: z.string().meta({ example: 'scan the next parcel' }),
    zh: z.object({ message: z.string(), next: z.string() }),
    detail: z.record(z.string(), z.unknown()).optional().describe('What was done (packed, weight check, label job)'),
    at: z.iso.datetime().describe('When the server answered'),
  })
  .meta({ id: 'StationAnswer' });
export type StationAnswer = z.infer<typeof stationAnswer>;

/** A station as the server holds it: its job (null: none set) and the parcel on the bench. */
export const stationState = z
  .object({
    stationId: z.string().meta({ example: 'ST01' }),
    name: z.string(),
    job: jobOrNone,
    warehouseCode: z.string().nullable(),
    operator: z.string().nullable().describe('Who set the job; the scans at the station are done in their name'),
    deliveryNo: z.string().nullable(),
    stocktakeNo: z.string().nullable(),
    tripNo: z.string().nullable(),
    currentParcel: z.string().nullable().describe('pack: the parcel on the bench (packed, waiting for its weight)'),
    setAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'StationState' });
export type StationState = z.infer<typeof stationState>;

/** `station.jobChanged`: a station's job was set or changed (by its operator or a supervisor). */
export const stationJobChanged = stationState.extend({ changedBy: z.string() });
export type StationJobChanged = z.infer<typeof stationJobChanged>;

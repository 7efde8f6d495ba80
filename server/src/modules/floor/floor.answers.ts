import type { Text } from './floor.messages.js';
import type { ScanInput } from './floor.schemas.js';

/** The answer to one scan: what the handheld shows and says. */
export interface ScanAnswer {
  scanId: string;
  operation: ScanInput['operation'];
  outcome: 'ok' | 'refused';
  /** In words, for the screen and the voice. */
  message: string;
  /** What to scan next. */
  next: string;
  /** The same in Chinese, for the handheld. */
  zh: { message: string; next: string };
  detail?: Record<string, unknown>;
}

/** Where a station is in a multi-scan step (location then goods, bin then item, ...). */
export type Session = Record<string, unknown>;

export class Refusal extends Error {
  constructor(
    readonly text: Text,
    readonly next: Text,
    readonly detail?: Record<string, unknown>,
  ) {
    super(text.en);
  }
}

export function answerOk(input: ScanInput, message: Text, next: Text, detail?: Record<string, unknown>): ScanAnswer {
  return {
    scanId: input.scanId,
    operation: input.operation,
    outcome: 'ok',
    message: message.en,
    next: next.en,
    zh: { message: message.zh, next: next.zh },
    ...(detail ? { detail } : {}),
  };
}

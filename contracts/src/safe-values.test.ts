import { describe, expect, it } from 'vitest';
import { handheldScanSchema, scanEventSchema } from './edge-events.js';
import { INT32_MAX, int32, safeCounter, safeText, storableText, unsafeTextReason } from './safe-values.js';

describe('safe values', () => {
  it('refuses NUL and lone surrogates, keeps paired surrogates (emoji) and GS', () => {
    expect(unsafeTextReason('AB\u0000C')).toMatch(/NUL/);
    expect(unsafeTextReason('AB\ud800')).toMatch(/surrogate/);
    expect(unsafeTextReason('\udc00AB')).toMatch(/surrogate/);
    expect(unsafeTextReason('\udc00\ud800')).toMatch(/surrogate/);
    expect(unsafeTextReason('box 📦 \u001d 10LOT')).toBeNull();
    expect(safeText(10).safeParse('ok').success).toBe(true);
    expect(safeText(10).safeParse('n\u0000').success).toBe(false);
    expect(safeText(3).safeParse('four').success).toBe(false);
  });

  it('writes unsafe characters as visible escapes, losing nothing else', () => {
    expect(storableText('a\u0000b\ud800c📦')).toBe('a\\u0000b\\ud800c📦');
    expect(unsafeTextReason(storableText(JSON.parse('"\\udfff\\u0000"')))).toBeNull();
  });

  it('bounds integers to their columns', () => {
    expect(int32.safeParse(INT32_MAX).success).toBe(true);
    expect(int32.safeParse(INT32_MAX + 1).success).toBe(false);
    expect(int32.safeParse(-2_147_483_649).success).toBe(false);
    expect(safeCounter.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
    expect(safeCounter.safeParse(2 ** 53).success).toBe(false);
  });

  it('a scanned code holds no control character but GS, from a serial scanner or a handheld', () => {
    const base = {
      type: 'scan',
      eventId: '3f0e6a52-6f55-4f50-9a35-3b7f5c1d2e11',
      agentId: 'a',
      deviceId: 'd',
      stationId: 's',
      seq: 1,
      occurredAt: '2026-12-01T00:00:00Z',
      raw: '',
      symbology: null,
    };
    expect(scanEventSchema.safeParse({ ...base, code: '0104006381333931\u001d10X' }).success).toBe(true);
    for (const code of ['A\u0000', 'A\u0001B', 'A\u007f', 'A\tB', 'A\ud800']) {
      expect(scanEventSchema.safeParse({ ...base, code }).success, JSON.stringify(code)).toBe(false);
      expect(handheldScanSchema.safeParse({ scanId: 'x', code }).success, JSON.stringify(code)).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { deskCommand, gradeMoves, gradeRefusal, isComplete, pictureType } from './returns.rules.js';

describe('the returns desk codes', () => {
  it('reads grades with an optional reason, a new return, a choice and done; anything else is text', () => {
    expect(deskCommand('SELLABLE')).toEqual({ kind: 'grade', grade: 'sellable', reason: null });
    expect(deskCommand('grade:unsellable')).toEqual({ kind: 'grade', grade: 'unsellable', reason: null });
    expect(deskCommand('DESTROY:seal broken: leaking')).toEqual({
      kind: 'grade',
      grade: 'destroy',
      reason: 'seal broken: leaking',
    });
    expect(deskCommand('GRADE:DESTROY:wet')).toEqual({ kind: 'grade', grade: 'destroy', reason: 'wet' });
    expect(deskCommand('new-return')).toEqual({ kind: 'newReturn' });
    expect(deskCommand('SELLER:SELLER-TWO')).toEqual({ kind: 'choose', code: 'SELLER-TWO' });
    expect(deskCommand('SELLER:')).toEqual({ kind: 'text', text: 'SELLER:' });
    expect(deskCommand('DONE')).toEqual({ kind: 'done' });
    expect(deskCommand('RMA-1001')).toEqual({ kind: 'text', text: 'RMA-1001' });
    expect(deskCommand('6901234000016')).toEqual({ kind: 'text', text: '6901234000016' });
  });
});

describe('grading on an RMA', () => {
  const rma = { rmaNo: 'R1', unannounced: false, status: 'receiving' };
  const line = { sku: 'S1', expected: 2, sellable: 1, unsellable: 0, destroyed: 0 };
  it('takes the expected SKUs up to what the RMA expects, and anything on a return without RMA', () => {
    expect(gradeRefusal(rma, line, 'S1', 1)).toBeNull();
    expect(gradeRefusal(rma, line, 'S1', 2)?.en).toMatch(/expects 2 of S1 and 1 remain/);
    expect(gradeRefusal(rma, undefined, 'S2', 1)?.en).toMatch(/S2 is not on RMA R1/);
    expect(gradeRefusal({ ...rma, unannounced: true }, undefined, 'S2', 50)).toBeNull();
    expect(gradeRefusal({ ...rma, status: 'received' }, line, 'S1', 1)?.en).toMatch(/already received/);
  });

  it('is complete when every line has what it expects, never by itself without an RMA', () => {
    expect(isComplete(false, [line])).toBe(false);
    expect(isComplete(false, [{ ...line, destroyed: 1 }])).toBe(true);
    expect(isComplete(true, [{ ...line, destroyed: 1 }])).toBe(false);
    expect(isComplete(false, [])).toBe(false);
  });

  it('moves sellable to available, unsellable to unfulfillable, and a destroy in then out, in the RMA’s lot', () => {
    const unit = { ownerCode: 'O', warehouseCode: 'W', sku: 'S1', rmaNo: 'R1', qty: 2, reason: 'r' };
    const steps = (g: 'sellable' | 'unsellable' | 'destroy') =>
      gradeMoves(g, unit).map((s) => s.map((m) => `${m.from}>${m.to}:${m.event}:${m.lotNo}:${m.docType}/${m.docNo}`));
    expect(steps('sellable')).toEqual([['null>available:return.graded:RET-R1:return/R1']]);
    expect(steps('unsellable')).toEqual([['null>unfulfillable:return.graded:RET-R1:return/R1']]);
    expect(steps('destroy')).toEqual([
      ['null>unfulfillable:return.graded:RET-R1:return/R1'],
      ['unfulfillable>null:return.destroyed:RET-R1:return/R1'],
    ]);
  });
});

describe('photos of returns', () => {
  it('takes a JPEG or PNG by its first bytes, whatever the upload claims', () => {
    expect(pictureType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBe('image/jpeg');
    expect(pictureType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]))).toBe('image/png');
    expect(pictureType(Buffer.from('GIF89a....'))).toBeNull();
    expect(pictureType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(pictureType(Buffer.alloc(0))).toBeNull();
  });
});

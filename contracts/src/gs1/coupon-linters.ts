import type { LintIssue } from './linters.js';

/**
 * The North American coupon fields, AI (8110) coupon code and AI (8112) paperless coupon offer
 * (GS1 US "North American Coupon Application Guideline"): digits in fields, most of them preceded
 * by a variable-length indicator (VLI). Each field is walked in order; the first field that is
 * missing, out of range or cut short is GS1's reason.
 */

class Fail extends Error {
  constructor(readonly issue: Omit<LintIssue, 'linter'>) {
    super(issue.message);
  }
}

class Cursor {
  p = 0;
  constructor(readonly data: string) {}
  get done() {
    return this.p >= this.data.length;
  }
  get rest() {
    return this.data.length - this.p;
  }
  peek() {
    return this.data[this.p];
  }
  /** One digit that must be present and satisfy `ok`. */
  digit(what: string, ok: (d: number) => boolean, range: string): number {
    if (this.done) throw new Fail({ message: `The coupon's ${what} is missing.`, pos: 0, len: this.data.length });
    const d = Number(this.data[this.p]);
    if (!ok(d)) throw new Fail({ message: `The coupon's ${what} must be ${range}.`, pos: this.p, len: 1 });
    this.p++;
    return d;
  }
  /** `n` digits that must all be there; `message` tells what is too short. */
  take(n: number, message: string): string {
    if (this.rest < n)
      throw new Fail({ message, pos: this.done ? 0 : this.p, len: this.done ? this.data.length : this.rest });
    const s = this.data.slice(this.p, this.p + n);
    this.p += n;
    return s;
  }
}

function gcp(c: Cursor, value: string) {
  // a GS1 Company Prefix of the coupon starts with at least four digits (the data is all digits)
  if (value.length < 4)
    throw new Fail({ message: 'The GS1 Company Prefix is invalid.', pos: c.p - value.length, len: value.length });
}

function validDate(yymmdd: string): boolean {
  const m = Number(yymmdd.slice(2, 4));
  const d = Number(yymmdd.slice(4, 6));
  const year = 2000 + Number(yymmdd.slice(0, 2));
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(year, m, 0)).getUTCDate();
}

function purchase(c: Cursor, which: string, withGcp: boolean) {
  const vli = c.digit(`${which} purchase Requirement VLI`, (d) => d >= 1 && d <= 5, '"1" to "5"');
  c.take(vli, `The coupon's ${which} purchase Requirement is shorter than what is indicated by its VLI.`);
  c.digit(`${which} purchase Requirement Code`, (d) => d <= 4 || d === 9, '"0" to "4" or "9"');
  c.take(3, `The coupon's ${which} purchase Family Code is shorter than the required three digits.`);
  if (!withGcp) return;
  const g = c.digit(`${which} purchase GS1 Company Prefix VLI`, (d) => d <= 6 || d === 9, '"0" to "6" or "9"');
  if (g === 9) return;
  gcp(
    c,
    c.take(g + 6, `The coupon's ${which} purchase GS1 Company Prefix is shorter than what is indicated by its VLI.`),
  );
}

function walk(name: string, data: string, fields: (c: Cursor) => void): LintIssue | null {
  const at = [...data].findIndex((ch) => ch < '0' || ch > '9');
  if (at >= 0)
    return { linter: name, message: 'A non-digit character was found where a digit is expected.', pos: at, len: 1 };
  const c = new Cursor(data);
  try {
    fields(c);
    if (!c.done)
      return {
        linter: name,
        message: 'The coupon contains excess data after the recognised optional fields.',
        pos: c.p,
        len: c.rest,
      };
    return null;
  } catch (error) {
    if (error instanceof Fail) return { linter: name, ...error.issue };
    throw error;
  }
}

export function couponcode(data: string): LintIssue | null {
  return walk('couponcode', data, (c) => {
    const g = c.digit('primary GS1 Company Prefix VLI', (d) => d <= 6, '"0" to "6"');
    gcp(c, c.take(g + 6, "The coupon's primary GS1 Company Prefix is shorter than what is indicated by its VLI."));
    c.take(6, "The coupon's Offer Code is shorter than the required six digits.");
    const sv = c.digit('Save Value VLI', (d) => d >= 1 && d <= 5, '"1" to "5"');
    c.take(sv, "The coupon's Save Value is shorter than what is indicated by its VLI.");
    purchase(c, 'primary', false);
    // optional fields, each introduced by its data field indicator, in this order
    if (c.peek() === '1') {
      c.p++;
      c.digit('Additional Purchase Rules Code', (d) => d <= 3, '"0" to "3"');
      purchase(c, 'second', true);
    }
    if (c.peek() === '2') {
      c.p++;
      purchase(c, 'third', true);
    }
    let expiry: string | null = null;
    if (c.peek() === '3') {
      c.p++;
      expiry = c.take(6, "The coupon's expiration date is too short for YYMMDD format.");
      if (!validDate(expiry))
        throw new Fail({ message: "The coupon's expiration date is invalid.", pos: c.p - 6, len: 6 });
    }
    if (c.peek() === '4') {
      c.p++;
      const start = c.take(6, "The coupon's start date is too short to YYMMDD format.");
      if (!validDate(start)) throw new Fail({ message: "The coupon's start date is invalid.", pos: c.p - 6, len: 6 });
      if (expiry !== null && start > expiry)
        throw new Fail({ message: "The coupon's expiration date precede the start date.", pos: c.p - 14, len: 14 });
    }
    if (c.peek() === '5') {
      c.p++;
      const s = c.digit('Serial Number VLI', () => true, '"0" to "9"');
      c.take(s + 6, "The coupon's Serial Number is shorter than what is indicated by its VLI.");
    }
    if (c.peek() === '6') {
      c.p++;
      const r = c.digit('Retailer GCP/GLN VLI', (d) => d >= 1 && d <= 7, '"1" to "7"');
      gcp(c, c.take(r + 6, "The coupon's Retailer GCP/GLN is shorter than what is indicated by its VLI."));
    }
    if (c.peek() === '9') {
      c.p++;
      c.digit('Save Value Code', (d) => [0, 1, 2, 5, 6].includes(d), '"0", "1", "2", "5" or "6"');
      c.digit('Save Value Applies to Item', (d) => d <= 2, '"0" to "2"');
      c.digit('Store Coupon Flag', () => true, 'a digit');
      c.digit("Don't Multiply Flag", (d) => d <= 1, '"0" or "1"');
    }
  });
}

export function couponposoffer(data: string): LintIssue | null {
  return walk('couponposoffer', data, (c) => {
    c.digit('Format Code', (d) => d <= 1, '"0" or "1"');
    const f = c.digit('Funder VLI', (d) => d <= 6, '"0" to "6"');
    c.take(f + 6, "The coupon's Funder is shorter than what is indicated by its VLI.");
    c.take(6, "The coupon's Offer Code is shorter than the required six digits.");
    const s = c.digit('Serial Number VLI', () => true, '"0" to "9"');
    c.take(s + 6, "The coupon's Serial Number is shorter than what is indicated by its VLI.");
  });
}

import { randomUUID } from 'node:crypto';
import { escapeXml } from '@wms/contracts';
import { modeProblems } from './ceb-mode-rules.js';
import { type CebMessageType, type FieldSpec, MESSAGE_SPECS, type MessageSpec } from './ceb-schema.js';
import { CODE_LISTS } from './code-lists.js';

export const CEB_NAMESPACE = 'http://www.chinaport.gov.cn/ceb';

export interface Envelope {
  copCode: string;
  copName: string;
  dxpMode?: string;
  dxpId: string;
  note?: string;
}

export interface FieldProblem {
  path: string;
  problem: string;
}

export class CebValidationError extends Error {
  constructor(
    readonly messageType: string,
    readonly problems: FieldProblem[],
  ) {
    super(
      `${messageType} is not valid and was not generated:\n${problems.map((p) => `  - ${p.path}: ${p.problem}`).join('\n')}`,
    );
    this.name = 'CebValidationError';
  }
}

type Values = Record<string, string | number | null | undefined>;

/** Checks one value against its field spec; returns the problem, or null. */
function checkField(spec: FieldSpec, raw: Values[string]): string | null {
  const value = raw === null || raw === undefined ? '' : String(raw);
  if (value === '') return spec.required ? 'required' : null;
  const t = spec.type;
  switch (t.kind) {
    case 'C':
      return [...value].length > t.max ? `too long (max ${t.max}, got ${[...value].length})` : null;
    case 'enum':
      return t.values.includes(value) ? null : `must be one of ${t.values.join(', ')}, got "${value}"`;
    case 'code': {
      const list = CODE_LISTS[t.list];
      if ([...value].length <= t.max && list.has(value)) return null;
      return `"${value}" is not in the customs ${t.list} code list: ${list.hint}`;
    }
    case 'D14':
      return /^\d{14}$/.test(value) ? null : `must be YYYYMMDDhhmmss, got "${value}"`;
    case 'D8':
      return /^\d{8}$/.test(value) ? null : `must be YYYYMMDD, got "${value}"`;
    case 'N': {
      const m = /^-?(\d+)(?:\.(\d+))?$/.exec(value);
      if (!m) return `must be a number, got "${value}"`;
      const decimals = m[2]?.length ?? 0;
      if (decimals > t.decimals) return `at most ${t.decimals} decimals, got ${decimals}`;
      if (m[1].replace(/^0+(?=\d)/, '').length + decimals > t.digits) return `at most ${t.digits} digits`;
      return null;
    }
  }
}

function fieldsXml(fields: FieldSpec[], values: Values, indent: string): string {
  return fields
    .filter((f) => values[f.name] !== undefined && values[f.name] !== null && values[f.name] !== '')
    .map((f) => `${indent}<ceb:${f.name}>${escapeXml(String(values[f.name]))}</ceb:${f.name}>`)
    .join('\n');
}

/**
 * Builds a CEB message (namespace, root with guid and version, the business document, then
 * BaseTransfer). Everything is validated first: an invalid message never leaves the system.
 */
export function buildCebMessage(
  type: CebMessageType,
  data: { head: Values; lines?: Values[] },
  envelope: Envelope,
): { xml: string; guid: string } {
  const spec: MessageSpec = MESSAGE_SPECS[type];
  const guid = String(data.head.guid ?? randomUUID()).toUpperCase();
  const head: Values = { ...data.head, guid };
  const problems: FieldProblem[] = [];
  const known = new Set(spec.head.fields.map((f) => f.name));
  for (const f of spec.head.fields) {
    const problem = checkField(f, head[f.name]);
    if (problem) problems.push({ path: `${spec.head.element}.${f.name}`, problem });
  }
  for (const key of Object.keys(head))
    if (!known.has(key)) problems.push({ path: `${spec.head.element}.${key}`, problem: 'not a field of this message' });
  if (!/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(guid))
    problems.push({ path: `${spec.head.element}.guid`, problem: 'must be 36 characters, upper-case UUID' });
  const lines = data.lines ?? [];
  if (spec.lines) {
    if (lines.length < spec.lines.min)
      problems.push({ path: spec.lines.element, problem: `at least ${spec.lines.min} line required` });
    const lineFields = new Set(spec.lines.fields.map((f) => f.name));
    lines.forEach((line, i) => {
      for (const f of spec.lines!.fields) {
        const problem = checkField(f, line[f.name]);
        if (problem) problems.push({ path: `${spec.lines!.element}[${i + 1}].${f.name}`, problem });
      }
      for (const key of Object.keys(line))
        if (!lineFields.has(key))
          problems.push({ path: `${spec.lines!.element}[${i + 1}].${key}`, problem: 'not a field of this message' });
    });
  }
  problems.push(
    ...modeProblems(type, { head: spec.head.element, lines: spec.lines?.element }, head, spec.lines ? lines : []),
  );
  for (const [key, value] of Object.entries({
    copCode: envelope.copCode,
    copName: envelope.copName,
    dxpId: envelope.dxpId,
  })) {
    if (!value) problems.push({ path: `BaseTransfer.${key}`, problem: 'required' });
  }
  if (problems.length) throw new CebValidationError(type, problems);

  // Cancel messages (CEB623/605) carry their fields directly in the document element.
  const flat = spec.head.element === spec.document;
  const body = [
    `  <ceb:${spec.document}>`,
    ...(flat
      ? [fieldsXml(spec.head.fields, head, '    ')]
      : [
          `    <ceb:${spec.head.element}>`,
          fieldsXml(spec.head.fields, head, '      '),
          `    </ceb:${spec.head.element}>`,
        ]),
    ...(spec.lines
      ? lines.flatMap((line) => [
          `    <ceb:${spec.lines!.element}>`,
          fieldsXml(spec.lines!.fields, line, '      '),
          `    </ceb:${spec.lines!.element}>`,
        ])
      : []),
    `  </ceb:${spec.document}>`,
    '  <ceb:BaseTransfer>',
    `    <ceb:copCode>${escapeXml(envelope.copCode)}</ceb:copCode>`,
    `    <ceb:copName>${escapeXml(envelope.copName)}</ceb:copName>`,
    `    <ceb:dxpMode>${escapeXml(envelope.dxpMode ?? 'DXP')}</ceb:dxpMode>`,
    `    <ceb:dxpId>${escapeXml(envelope.dxpId)}</ceb:dxpId>`,
    ...(envelope.note ? [`    <ceb:note>${escapeXml(envelope.note)}</ceb:note>`] : []),
    '  </ceb:BaseTransfer>',
  ].join('\n');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ceb:${spec.root} guid="${guid}" version="1.0" xmlns:ceb="${CEB_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${body}\n</ceb:${spec.root}>\n`;
  return { xml, guid };
}

import type { INestApplication } from '@nestjs/common';
import type { CreditGrade, CreditTable } from '@wms/contracts';
import { CreditService } from '../modules/credit/credit.service.js';
import { MasterDataRepository } from '../modules/masterdata/masterdata.repository.js';
import { masterDataImport } from '../modules/masterdata/masterdata.schemas.js';
import { DomainEvents } from '../platform/events/domain-events.js';

/**
 * Credit grades for `npm start` (issue 13): the demo sellers carry different customs credit grades
 * (SELLER-DEMO advanced certified, SELLER-TWO dishonest) and one enterprise of each other grade is
 * graded, so the console's Credit-graded inspection page has something to compare. A grade an
 * admin set later is kept (only enterprises without one are graded). The customs simulator gets
 * the WMS's table now and again after every change (`credit.changed`), so its inspections follow
 * what the admin configures.
 */
const DEMO_GRADES: Array<{ code: string; name: string; grade: CreditGrade }> = [
  { code: 'SELLER-DEMO', name: 'Demo Seller', grade: 'advanced_certified' },
  { code: 'SELLER-TWO', name: 'Second Demo Seller', grade: 'dishonest' },
  { code: 'CREDIT-CERT', name: 'Demo Certified Trading', grade: 'certified' },
  { code: 'CREDIT-REG', name: 'Demo Regular Trading', grade: 'regular' },
  { code: 'CREDIT-SER', name: 'Demo Seriously Dishonest Trading', grade: 'seriously_dishonest' },
];

export async function seedCreditDemo(
  app: INestApplication,
  simulator: { setCredit(table: CreditTable | null): void } | null,
  log: (line: string) => void,
): Promise<void> {
  const credit = app.get(CreditService);
  await app.get(MasterDataRepository).upsertAll(
    masterDataImport.parse({
      enterprises: DEMO_GRADES.filter((g) => g.code.startsWith('CREDIT-')).map((g) => ({
        code: g.code,
        name: g.name,
        roles: ['ebc'],
      })),
    }),
  );
  const graded = new Set((await credit.enterprises()).map((e) => e.enterpriseCode));
  for (const g of DEMO_GRADES)
    if (!graded.has(g.code))
      await credit.setGrade(g.code, { grade: g.grade, name: g.name, reason: 'demo data' }, 'demo');
  if (!simulator) return;
  const push = () =>
    credit.table().then(
      (table) => simulator.setCredit(table),
      (error) => log(`credit grades for the customs simulator: ${String(error)}`),
    );
  await push();
  app.get(DomainEvents).on('credit.changed', () => void push());
  log('credit demo: SELLER-DEMO advanced certified, SELLER-TWO dishonest; the customs simulator inspects by grade');
}

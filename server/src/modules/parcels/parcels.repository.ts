import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../platform/database/orm.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';

/**
 * A parcel's own state on its inventory list (packed, held, out of the gate): the columns of
 * inventory_list the floor writes, and their domain events. The customs columns (status,
 * receipts, declaration) stay with the customs context, and are never written here.
 */
@Injectable()
export class ParcelsRepository {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    private readonly events: DomainEvents,
  ) {}

  transaction<T>(work: (em: Em) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  /** Reads outside a transaction. */
  reader(): Em {
    return this.orm.em.fork();
  }

  private async set(em: Em, listId: string, set: Record<string, unknown>): Promise<void> {
    const cols = Object.keys(set);
    await em.execute(
      `update inventory_list set ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = now() where id = ?`,
      [...cols.map((c) => set[c] as never), listId],
    );
  }

  async markPacked(em: Em, listId: string, actor: string): Promise<void> {
    await this.set(em, listId, { packed_at: new Date(), packed_by: actor });
  }

  async markGatePassed(em: Em, listId: string, at: Date, gatePassNo: string): Promise<void> {
    const update = gatePassedUpdate(listId, at, gatePassNo);
    await em.execute(update.sql, update.params);
  }

  /** A hold placed by a check on the floor (the weight check), not by customs. */
  async holdBy(em: Em, listId: string, reason: string, by: string): Promise<void> {
    await this.set(em, listId, { hold_reason: reason, held_by: by, held_at: new Date() });
  }

  /** After the commit: the parcel's hold changed (the same event a customs hold emits). */
  holdChanged(logisticsNo: string, held: boolean, reason: string | null, by: string): void {
    this.events.emit('parcel.holdChanged', { logisticsNo, held, reason, by });
  }
}

/** The parcel is out of the gate: the update, for a room that writes it with the pass's other rows in one statement. */
export function gatePassedUpdate(listId: string | number, at: Date, gatePassNo: string) {
  return {
    sql: 'update inventory_list set gate_passed_at = ?, gate_pass_no = ?, updated_at = now() where id = ?',
    params: [at, gatePassNo, listId],
  };
}

import { Migration20261125000100WalkingSkeleton } from './Migration20261125000100_walking_skeleton.js';
import { Migration20261125000200DeviceCommands } from './Migration20261125000200_device_commands.js';
import { Migration20261125000300WeightsAndDeviceStatus } from './Migration20261125000300_weights_and_device_status.js';
import { Migration20261125000400CustomsCore } from './Migration20261125000400_customs_core.js';
import { Migration20261126000500FloorOperations } from './Migration20261126000500_floor_operations.js';
import { Migration20261126000600EventInboxChecks } from './Migration20261126000600_event_inbox_checks.js';
import { Migration20261201000720BrokerIdentities } from './Migration20261201000720_broker_identities.js';
import { Migration20261201000740AuthSessions } from './Migration20261201000740_auth_sessions.js';
import { Migration20261201000810GateRules } from './Migration20261201000810_gate_rules.js';
import { Migration20261201000820StationJobs } from './Migration20261201000820_station_jobs.js';
import { Migration20261201000830UnitLabels } from './Migration20261201000830_unit_labels.js';
import { Migration20261201000840ReceivingDifferences } from './Migration20261201000840_receiving_differences.js';
import { Migration20261201000850PickWalkIndexes } from './Migration20261201000850_pick_walk_indexes.js';
import {
  Migration20261201000900SellerTenants,
  TENANT_POLICIES as SELLER_TENANT_POLICIES,
} from './Migration20261201000900_seller_tenants.js';
import { Migration20261201000910SellerStock, SELLER_STOCK_POLICIES } from './Migration20261201000910_seller_stock.js';
import {
  Migration20261201000915SellerStockTotals,
  SELLER_TOTAL_POLICIES,
} from './Migration20261201000915_seller_stock_totals.js';
import { Migration20261201000916SellerStockPageIndex } from './Migration20261201000916_seller_stock_page_index.js';
import {
  Migration20261201000920SellerShipments,
  SHIPMENT_POLICIES,
} from './Migration20261201000920_seller_shipments.js';
import { Migration20261201000930SellerOrders, SELLER_ORDER_POLICIES } from './Migration20261201000930_seller_orders.js';
import {
  Migration20261201000940SellerReturnsAgeing,
  SELLER_RETURNS_POLICIES,
} from './Migration20261201000940_seller_returns_ageing.js';
import {
  BONDED_BALANCE_POLICIES,
  Migration20261201000950BondedStockBalance,
} from './Migration20261201000950_bonded_stock_balance.js';
import {
  Migration20261201000951StorageAgeAlerts,
  STORAGE_AGE_POLICIES,
} from './Migration20261201000951_storage_age_alerts.js';
import { Migration20261201000955CustomsOfficerRecords } from './Migration20261201000955_customs_officer_records.js';
import { Migration20261201000960RiskWarnings, RISK_POLICIES } from './Migration20261201000960_risk_warnings.js';
import {
  CREDIT_POLICIES,
  Migration20261201000965EnterpriseCredit,
} from './Migration20261201000965_enterprise_credit.js';
import {
  Migration20261201000970StatisticsRollups,
  STATISTICS_POLICIES,
} from './Migration20261201000970_statistics_rollups.js';
import { Migration20261201000985ListReleaseTime } from './Migration20261201000985_list_release_time.js';
import { Migration20261201000990GoodsSecondLegalUnit } from './Migration20261201000990_goods_second_legal_unit.js';
import { Migration20261201000995ExportChain } from './Migration20261201000995_export_chain.js';

/** Every migration, in order. The ORM takes this list rather than scanning folders, so a build is self-contained. */
export const migrationsList = [
  { name: 'Migration20261125000100_walking_skeleton', class: Migration20261125000100WalkingSkeleton },
  { name: 'Migration20261125000200_device_commands', class: Migration20261125000200DeviceCommands },
  { name: 'Migration20261125000300_weights_and_device_status', class: Migration20261125000300WeightsAndDeviceStatus },
  { name: 'Migration20261125000400_customs_core', class: Migration20261125000400CustomsCore },
  { name: 'Migration20261126000500_floor_operations', class: Migration20261126000500FloorOperations },
  { name: 'Migration20261126000600_event_inbox_checks', class: Migration20261126000600EventInboxChecks },
  { name: 'Migration20261201000720_broker_identities', class: Migration20261201000720BrokerIdentities },
  { name: 'Migration20261201000740_auth_sessions', class: Migration20261201000740AuthSessions },
  { name: 'Migration20261201000810_gate_rules', class: Migration20261201000810GateRules },
  { name: 'Migration20261201000820_station_jobs', class: Migration20261201000820StationJobs },
  { name: 'Migration20261201000830_unit_labels', class: Migration20261201000830UnitLabels },
  { name: 'Migration20261201000840_receiving_differences', class: Migration20261201000840ReceivingDifferences },
  { name: 'Migration20261201000850_pick_walk_indexes', class: Migration20261201000850PickWalkIndexes },
  { name: 'Migration20261201000900_seller_tenants', class: Migration20261201000900SellerTenants },
  { name: 'Migration20261201000910_seller_stock', class: Migration20261201000910SellerStock },
  { name: 'Migration20261201000915_seller_stock_totals', class: Migration20261201000915SellerStockTotals },
  { name: 'Migration20261201000916_seller_stock_page_index', class: Migration20261201000916SellerStockPageIndex },
  { name: 'Migration20261201000920_seller_shipments', class: Migration20261201000920SellerShipments },
  { name: 'Migration20261201000930_seller_orders', class: Migration20261201000930SellerOrders },
  { name: 'Migration20261201000940_seller_returns_ageing', class: Migration20261201000940SellerReturnsAgeing },
  { name: 'Migration20261201000950_bonded_stock_balance', class: Migration20261201000950BondedStockBalance },
  { name: 'Migration20261201000951_storage_age_alerts', class: Migration20261201000951StorageAgeAlerts },
  { name: 'Migration20261201000955_customs_officer_records', class: Migration20261201000955CustomsOfficerRecords },
  { name: 'Migration20261201000960_risk_warnings', class: Migration20261201000960RiskWarnings },
  { name: 'Migration20261201000965_enterprise_credit', class: Migration20261201000965EnterpriseCredit },
  { name: 'Migration20261201000970_statistics_rollups', class: Migration20261201000970StatisticsRollups },
  { name: 'Migration20261201000985_list_release_time', class: Migration20261201000985ListReleaseTime },
  { name: 'Migration20261201000990_goods_second_legal_unit', class: Migration20261201000990GoodsSecondLegalUnit },
  { name: 'Migration20261201000995_export_chain', class: Migration20261201000995ExportChain },
];
/** Every table holding a seller's rows -> the tenant arm of its row-level security policy (null: centre only). */
export const TENANT_POLICIES: Record<string, string | null> = {
  ...SELLER_TENANT_POLICIES,
  ...SELLER_STOCK_POLICIES,
  ...SELLER_TOTAL_POLICIES,
  ...SHIPMENT_POLICIES,
  ...SELLER_ORDER_POLICIES,
  ...SELLER_RETURNS_POLICIES,
  ...CREDIT_POLICIES,
  ...RISK_POLICIES,
  ...STATISTICS_POLICIES,
  ...BONDED_BALANCE_POLICIES,
  ...STORAGE_AGE_POLICIES,
};

import { z } from 'zod';

/**
 * Every setting the server reads, with its default. Environment variables override; a bad value
 * stops the boot with a message naming the variable.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Loopback unless asked: a container or a site server sets 0.0.0.0 (or its LAN address) on purpose. */
  HTTP_HOST: z.string().default('127.0.0.1'),
  /**
   * Behind a load balancer or reverse proxy: which hops' X-Forwarded-For to believe (Express
   * `trust proxy`: `loopback`, a subnet such as `10.0.0.0/8`, or a hop count). Unset, the client
   * address is the socket's, so per-address sign-in limits would see the proxy as one client.
   */
  HTTP_TRUST_PROXY: z
    .string()
    .regex(/^[0-9A-Za-z.:/, -]+$/, 'loopback, a subnet, a list of them, or a hop count')
    .optional(),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, e.g. postgres://wms@127.0.0.1:5432/wms'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * The application's own connection (role wms_app: no table owner, no RLS bypass). Unset: DATABASE_URL
   * with user wms_app and DATABASE_APP_PASSWORD (or DATABASE_URL's password). DATABASE_URL (the
   * owner) then only runs migrations. See deploy/README.md "Database roles".
   */
  DATABASE_APP_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, e.g. postgres://wms_app@127.0.0.1:5432/wms')
    .optional(),
  DATABASE_APP_PASSWORD: z.string().min(1).optional(),
  /** Connections of the sellers' pool (tenant-bound transactions of /api/seller/*). */
  DATABASE_SELLER_POOL_MAX: z.coerce.number().int().min(1).max(100).default(4),
  /** External broker (e.g. Mosquitto). Leave unset and set MQTT_EMBEDDED_PORT to run the in-process broker. */
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'must be an mqtt:// URL')
    .optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  /** 5 for Mosquitto (shared subscriptions); 4 (3.1.1) for brokers without MQTT 5, such as aedes. */
  MQTT_PROTOCOL_VERSION: z.coerce
    .number()
    .pipe(z.union([z.literal(4), z.literal(5)]))
    .default(5),
  /** Shared-subscription group: every server instance of one deployment uses the same group. */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('wms-server'),
  /** Port of the in-process broker (aedes) started when MQTT_URL is unset. */
  MQTT_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(1884),
  /** Address the in-process broker listens on: this machine only, unless agents elsewhere need it. */
  MQTT_EMBEDDED_HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest MQTT packet the in-process broker takes (bytes); a bigger one closes the connection. */
  MQTT_MAX_PACKET_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** In-process broker: failed logins per username, and per source address, before a back-off. */
  MQTT_CONNECT_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  MQTT_CONNECT_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
  /** First back-off after too many failed logins (s); it doubles with each block in a day, up to 1 h. */
  MQTT_CONNECT_BLOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * External broker's accounts: `dynsec` = Mosquitto's dynamic-security plugin, which the server
   * keeps in step when agent and handheld secrets are rotated or revoked; `none` = a broker with
   * its own password file (the operator updates it).
   */
  MQTT_BROKER_ACCOUNTS: z.enum(['dynsec', 'none']).default('none'),
  /** Unique per server instance: the MQTT client id is derived from it. */
  INSTANCE_ID: z.string().min(1).max(40).default(`server-${process.pid}`),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters; generate one with `openssl rand -hex 32`'),
  /** Lifetime of an access token; the screens renew it with their refresh token before it runs out. */
  JWT_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** A sign-in session (its refresh token) lasts this long at most: one shift, then sign in again. */
  AUTH_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(12 * 3600),
  /** How long a session's state (signed out, user disabled or deleted) is trusted before it is read again. */
  AUTH_SESSION_CHECK_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  /** Sign-in attempts per username per minute (then blocked a minute; 4× that in an hour blocks 15 min). */
  LOGIN_LIMIT_PER_USER: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Sign-in attempts per source address per minute (then blocked 5 min; 5× that in an hour blocks an hour). */
  LOGIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Built scanner UI to serve at `/` (optional). */
  UI_DIST_DIR: z.string().optional(),
  /** Built seller portal (seller-portal/dist) to serve at `/seller/` (optional). */
  SELLER_UI_DIST_DIR: z.string().optional(),
  /** Built customs officer's console (customs-console/dist) to serve at `/customs/` (optional). */
  CUSTOMS_UI_DIST_DIR: z.string().optional(),
  /** Ingestion: at most this many events are committed in one transaction. */
  INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Ingestion: extra wait for more messages before committing when idle (0 = commit at once; arrivals during a commit always join the next one). */
  INGEST_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(0),
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
  /** Single-window client folders (DOMAIN.md §4): we write declarations into the outbox and read receipts from the inbox. */
  CUSTOMS_OUTBOX_DIR: z.string().default('.data/customs/outbox'),
  CUSTOMS_INBOX_DIR: z.string().default('.data/customs/inbox'),
  /** A receipt file larger than this is set aside into inbox/error unread (receipts are a few KB). */
  CUSTOMS_INBOX_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  /** How often the inbox is read for receipts (0 = never; tests call the service directly). */
  CUSTOMS_POLL_MS: z.coerce.number().int().min(0).max(600_000).default(500),
  /** Our enterprise in the message envelope (BaseTransfer) and as declaring agent. */
  CUSTOMS_COP_CODE: z.string().min(1).max(18).default('3105960001'),
  CUSTOMS_COP_NAME: z.string().min(1).max(100).default('Demo Bonded Logistics Centre Operator'),
  CUSTOMS_DXP_ID: z.string().min(1).max(30).default('DXPENT0000000001'),
  /** Three-document match limits in CNY (DOMAIN.md §5: 5,000 per order, 26,000 per buyer per year when written). */
  CUSTOMS_LIMIT_PER_ORDER_CNY: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .default('5000'),
  CUSTOMS_LIMIT_PER_BUYER_YEAR_CNY: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .default('26000'),
  /** Weight check at the packing station (DOMAIN.md §8): the larger of grams and percent of the declared weight. */
  FLOOR_WEIGHT_TOLERANCE_GRAMS: z.coerce.number().int().min(0).max(100_000).default(50),
  FLOOR_WEIGHT_TOLERANCE_PCT: z.coerce.number().min(0).max(100).default(5),
  /** How often the server looks for station events it has not answered yet (it also does at start). */
  STATION_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How often lots older than their warehouse's alert age raise their seller's ageing alert (0: never). */
  AGEING_SWEEP_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  /**
   * Risk warnings (issue 13): facts are evaluated right after the event that brought them, and
   * on this timer as a backstop for anything an event did not announce (0: events only).
   */
  RISK_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How often the statistics rollups take the lists and receipts changed since (0: never; issue 13). */
  STATISTICS_ROLLUP_MS: z.coerce.number().int().min(0).max(3_600_000).default(500),
  /** Changed lists the rollup job takes per statement (a backlog drains in rounds of this many). */
  STATISTICS_ROLLUP_BATCH: z.coerce.number().int().min(1).max(100_000).default(5_000),
  /** Only a weight the station's scale reported this recently counts for the parcel being packed. */
  FLOOR_WEIGHT_MAX_AGE_S: z.coerce.number().int().min(1).max(3600).default(120),
  /** GS1 company prefix for the SSCCs of our parcels and pallets (7 to 10 digits). */
  FLOOR_GS1_COMPANY_PREFIX: z
    .string()
    .regex(/^\d{7,10}$/, '7 to 10 digits')
    .default('6900000'),
  /** Gate: the vehicle's weighed load against its release note (DOMAIN.md §6), the larger of kg and percent. */
  FLOOR_VEHICLE_TOLERANCE_KG: z.coerce.number().min(0).max(10_000).default(5),
  FLOOR_VEHICLE_TOLERANCE_PCT: z.coerce.number().min(0).max(100).default(2),
  /**
   * The WMS's own pre-selection for inspection by credit grade (issue 13, DOMAIN.md §8): `on`, a
   * packed parcel whose draw falls below its enterprise's rate is held for inspection (modules/credit).
   * Off by default: a site turns it on when customs asks for it; the dev stack does.
   */
  CREDIT_PRESELECTION: z.enum(['on', 'off']).default('off'),
  CREDIT_PRESELECTION_SEED: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
  /** Empty weight of a bag and of a pallet, counted in the release note's total. */
  FLOOR_BAG_TARE_KG: z.coerce.number().min(0).max(100).default(0.2),
  FLOOR_PALLET_TARE_KG: z.coerce.number().min(0).max(1000).default(20),
  /**
   * Unset (the default): Chinese on labels is drawn by the server into ^GF graphics, for any printer.
   * Set to a font file every printer holds (e.g. E:SIMSUN.FNT) to print it as printer text instead.
   */
  LABEL_CJK_FONT: z
    .string()
    .regex(/^[A-Z]:[A-Za-z0-9_]{1,16}\.(FNT|TTF|TTE)$/i, 'a printer font file like E:SIMSUN.FNT')
    .optional(),
});

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return parsed.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

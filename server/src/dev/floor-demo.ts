import { DEMO_CUSTOMS } from './customs-demo.js';
import { DEMO_DELIVERY, DEMO_GOODS } from './demo-data.js';

/**
 * The floor's part of the demo: the delivery a supervisor expects at the receiving dock, so the
 * Receive job has something to count. Made through the public API as a supervisor would, so it
 * goes through the same rules whatever room of the server owns receiving. Idempotent: a delivery
 * already there (409) is left as it is.
 */
export async function seedFloorDemo(
  baseUrl: string,
  login: { username: string; password: string },
  log: (line: string) => void,
  stationId = 'ST01',
): Promise<void> {
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const signedIn = await call('POST', '/api/auth/login', login);
  if (signedIn.status !== 200) throw new Error(`demo: could not sign in as ${login.username} (${signedIn.status})`);
  const token = String(signedIn.body.accessToken);
  try {
    const created = await call(
      'POST',
      '/api/floor/deliveries',
      {
        warehouseCode: DEMO_CUSTOMS.warehouseCode,
        deliveryNo: DEMO_DELIVERY.deliveryNo,
        ownerCode: DEMO_CUSTOMS.ebc,
        entryDocNo: DEMO_DELIVERY.entryDocNo,
        dockLocation: DEMO_DELIVERY.dockLocation,
        lines: DEMO_GOODS.map((g) => ({ sku: g.sku, qty: DEMO_DELIVERY.cartonUnits, batch: g.deliveryBatch })),
      },
      token,
    );
    if (created.status !== 201 && created.status !== 409)
      throw new Error(`demo: the expected delivery was refused (${created.status}): ${JSON.stringify(created.body)}`);
    if (created.status === 201)
      log(
        `floor demo: delivery ${DEMO_DELIVERY.deliveryNo} expected at ${DEMO_DELIVERY.dockLocation} (${DEMO_GOODS.length} × ${DEMO_DELIVERY.cartonUnits} units)`,
      );
    // The demo station starts on that delivery's receive job, so the first scans act with no screen
    // open; a job set on an earlier run (or by a user) is left as it is.
    const station = await call('GET', `/api/floor/stations/${stationId}`, undefined, token);
    if (station.status === 200 && station.body.job === null) {
      const set = await call(
        'PUT',
        `/api/floor/stations/${stationId}/mode`,
        { job: 'receive', warehouseCode: DEMO_CUSTOMS.warehouseCode, deliveryNo: DEMO_DELIVERY.deliveryNo },
        token,
      );
      if (set.status !== 200)
        throw new Error(`demo: station ${stationId}'s job was refused (${set.status}): ${JSON.stringify(set.body)}`);
      log(`floor demo: station ${stationId} receives delivery ${DEMO_DELIVERY.deliveryNo}`);
    }
  } finally {
    await call('POST', '/api/auth/logout', {}, token).catch(() => undefined);
  }
}

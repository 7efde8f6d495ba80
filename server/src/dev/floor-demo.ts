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
): Promise<void> {
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
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
  } finally {
    await call('POST', '/api/auth/logout', {}, token).catch(() => undefined);
  }
}

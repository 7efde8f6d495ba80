/**
 * MQTT topic layout. Every topic sits under one versioned root so that a broker can be shared
 * and ACLs can be written per agent (`wms/v1/agents/<username>/#`).
 */
export const TOPIC_ROOT = 'wms/v1';

/** Group name of the server's shared subscription (MQTT v5 `$share/<group>/<filter>`). */
export const SERVER_SHARE_GROUP = 'wms-server';

export const topics = {
  /** agent -> server, QoS 1: a batch of edge events taken from the agent's outbox. */
  agentEvents: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/events`,
  agentEventsFilter: `${TOPIC_ROOT}/agents/+/events`,
  /** server -> agent, QoS 1: which events the server has committed (the only thing that lets the outbox forget). */
  agentAcks: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/acks`,
  /** agent, retained; the agent's last will sets it to offline. */
  agentPresence: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/presence`,
  agentPresenceFilter: `${TOPIC_ROOT}/agents/+/presence`,
  /** agent, retained: one device's connection state (port open, unplugged, reconnecting). */
  devicePresence: (agentId: string, deviceId: string) => `${TOPIC_ROOT}/agents/${agentId}/devices/${deviceId}/presence`,
  devicePresenceFilter: `${TOPIC_ROOT}/agents/+/devices/+/presence`,
  /** server -> agent: commands for devices (print, tare), answered on `agentCommandReplies`. */
  agentCommands: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/commands`,
  agentCommandReplies: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/command-replies`,
  agentCommandRepliesFilter: `${TOPIC_ROOT}/agents/+/command-replies`,
  /** handheld -> its agent: scans from devices that speak MQTT themselves (they log in as their agent). */
  handheldScans: (agentId: string, deviceId: string) => `${TOPIC_ROOT}/agents/${agentId}/handhelds/${deviceId}/scans`,
  handheldScansFilter: (agentId: string) => `${TOPIC_ROOT}/agents/${agentId}/handhelds/+/scans`,
  /** agent -> handheld: the scan is safely in the agent's outbox (or refused, with the reason). */
  handheldAcks: (agentId: string, deviceId: string) => `${TOPIC_ROOT}/agents/${agentId}/handhelds/${deviceId}/acks`,
  /** server -> handheld, QoS 1: what the floor decided about the handheld's scan (a `StationAnswer`). */
  handheldAnswers: (agentId: string, deviceId: string) =>
    `${TOPIC_ROOT}/agents/${agentId}/handhelds/${deviceId}/answers`,
  /**
   * server, retained; its last will sets it to offline. Agents read it: a new `online` (a server
   * (re)connected with a fresh session, so batches sent while it was away are gone) makes them
   * resend their unacknowledged batch at once instead of after the ack timeout.
   */
  serverPresence: `${TOPIC_ROOT}/server/presence`,
} as const;

/** The agent id in `wms/v1/agents/<agentId>/...`, or null when the topic is not an agent topic. */
export function agentIdFromTopic(topic: string): string | null {
  const parts = topic.split('/');
  // A shared-subscription delivery carries the plain topic, never the `$share/...` prefix.
  if (parts.length < 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== 'agents') return null;
  return parts[3] || null;
}

/** `$share/<group>/<filter>`: MQTT v5 shared subscription, so several server instances split the load. */
export function sharedSubscription(filter: string, group = SERVER_SHARE_GROUP): string {
  return `$share/${group}/${filter}`;
}

/**
 * Who is who on the broker (deploy/mosquitto/README.md). Usernames: an agent logs in as its agent
 * id; an MQTT handheld as `handheld/<deviceId>` (ids never contain `/`, so no device can pass for
 * an agent); the server as its service account. Client ids are pinned to the identity, so nobody
 * can take over (kick off) another's session: `agent-<agentId>`, `handheld-<deviceId>`, and
 * `wms-<instanceId>` for server instances only.
 */
export const brokerIdentity = {
  agentUsername: (agentId: string) => agentId,
  agentClientId: (agentId: string) => `agent-${agentId}`,
  handheldUsername: (deviceId: string) => `handheld/${deviceId}`,
  handheldClientId: (deviceId: string) => `handheld-${deviceId}`,
  serverClientId: (instanceId: string) => `wms-${instanceId}`,
} as const;

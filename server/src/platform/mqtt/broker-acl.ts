import { brokerIdentity, TOPIC_ROOT, topics } from '@wms/contracts';

/**
 * Who may do what on the broker: the one statement of the rules, read by the embedded broker's
 * hooks and written into Mosquitto's dynamic-security roles, so both brokers enforce the same.
 */
export type BrokerPrincipal =
  | { kind: 'service' }
  | { kind: 'agent'; agentId: string }
  | { kind: 'handheld'; agentId: string; deviceId: string };

/** Retained by the server, read by every agent (the server alone writes it). */
export const SERVER_PRESENCE_TOPIC = topics.serverPresence;

export interface TopicRules {
  /** Topic filters (`+` for one level) the principal may publish on. */
  publish: string[];
  /** Filters the principal may subscribe to (or narrower ones, e.g. one device for `+`). */
  subscribe: string[];
}

/**
 * An agent writes its events, presence, device presence, command replies and handheld acks, and
 * reads its acks, its commands and its handhelds' scans. A handheld reads its acks and the floor's
 * answers to its scans (written by the server alone). Its commands and acks come only from the
 * server: nobody holding an agent secret may publish on them (so a command always has its
 * device_command row).
 */
export function topicRules(principal: BrokerPrincipal): TopicRules {
  if (principal.kind === 'service') return { publish: [`${TOPIC_ROOT}/#`], subscribe: [`${TOPIC_ROOT}/#`] };
  const agent = `${TOPIC_ROOT}/agents/${principal.agentId}`;
  if (principal.kind === 'handheld') {
    return {
      publish: [`${agent}/handhelds/${principal.deviceId}/scans`],
      subscribe: [`${agent}/handhelds/${principal.deviceId}/acks`, `${agent}/handhelds/${principal.deviceId}/answers`],
    };
  }
  return {
    publish: [
      `${agent}/events`,
      `${agent}/presence`,
      `${agent}/devices/+/presence`,
      `${agent}/command-replies`,
      `${agent}/handhelds/+/acks`,
    ],
    subscribe: [`${agent}/acks`, `${agent}/commands`, `${agent}/handhelds/+/scans`, SERVER_PRESENCE_TOPIC],
  };
}

/** The one client id the principal may connect with (null: the service account, checked apart). */
export function expectedClientId(principal: BrokerPrincipal): string | null {
  if (principal.kind === 'agent') return brokerIdentity.agentClientId(principal.agentId);
  if (principal.kind === 'handheld') return brokerIdentity.handheldClientId(principal.deviceId);
  return null;
}

/** Server instances connect as `wms-<instanceId>`; that prefix is theirs alone. */
export function isServerClientId(clientId: string): boolean {
  return clientId.startsWith(brokerIdentity.serverClientId(''));
}

export function mayPublish(principal: BrokerPrincipal, topic: string): boolean {
  if (principal.kind === 'service') return true;
  return topicRules(principal).publish.some((rule) => filterCovers(rule, topic));
}

export function maySubscribe(principal: BrokerPrincipal, filter: string): boolean {
  if (principal.kind === 'service') return true;
  return topicRules(principal).subscribe.some((rule) => filterCovers(rule, filter));
}

/**
 * True when everything `filter` (a topic, or a filter with `+`/`#`) can match is matched by
 * `rule`: a `+` in the rule takes any one level (a literal or `+`, never `#`); a `#` in the rule
 * takes the rest. `$share/<group>/` subscriptions are judged by the filter they share.
 */
export function filterCovers(rule: string, filter: string): boolean {
  const shared = /^\$share\/[^/]+\/(.+)$/.exec(filter);
  const r = rule.split('/');
  const f = (shared ? shared[1] : filter).split('/');
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '#') return true;
    if (i >= f.length) return false;
    if (f[i] === '#') return false;
    if (r[i] === '+') continue;
    if (f[i] !== r[i]) return false;
  }
  return r.length === f.length;
}

/** The same rules as Mosquitto dynamic-security ACLs (publishClientSend / subscribePattern). */
export function dynsecAcls(principal: BrokerPrincipal): Array<{ acltype: string; topic: string; allow: boolean }> {
  const rules = topicRules(principal);
  const subscribe = principal.kind === 'service' ? [...rules.subscribe, `$share/+/${TOPIC_ROOT}/#`] : rules.subscribe;
  return [
    ...rules.publish.map((topic) => ({ acltype: 'publishClientSend', topic, allow: true })),
    ...subscribe.map((topic) => ({ acltype: 'subscribePattern', topic, allow: true })),
  ];
}

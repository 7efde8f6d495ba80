import { describe, expect, it } from 'vitest';
import {
  dynsecAcls,
  expectedClientId,
  filterCovers,
  isServerClientId,
  mayPublish,
  maySubscribe,
} from './broker-acl.js';

const agent = { kind: 'agent', agentId: 'agent-01' } as const;
const handheld = { kind: 'handheld', agentId: 'agent-01', deviceId: 'HH-1' } as const;
const a = 'wms/v1/agents/agent-01';

describe('broker ACL (issue 10: device identity)', () => {
  it('an agent publishes its own events, presence and replies, never its commands or acks', () => {
    for (const topic of [
      `${a}/events`,
      `${a}/presence`,
      `${a}/devices/ST01-SCANNER/presence`,
      `${a}/command-replies`,
      `${a}/handhelds/HH-1/acks`,
    ])
      expect(mayPublish(agent, topic), topic).toBe(true);
    for (const topic of [
      `${a}/commands`,
      `${a}/acks`,
      `${a}/handhelds/HH-1/scans`,
      `${a}/devices/x/y/presence`,
      'wms/v1/agents/agent-02/events',
      'wms/v1/server/presence',
      '$CONTROL/dynamic-security/v1',
    ])
      expect(mayPublish(agent, topic), topic).toBe(false);
  });

  it('an agent reads its acks, commands, handheld scans and the server presence, nothing of another agent', () => {
    for (const filter of [`${a}/acks`, `${a}/commands`, `${a}/handhelds/+/scans`, `${a}/handhelds/HH-1/scans`])
      expect(maySubscribe(agent, filter), filter).toBe(true);
    expect(maySubscribe(agent, 'wms/v1/server/presence')).toBe(true);
    for (const filter of [
      'wms/v1/agents/agent-02/commands',
      'wms/v1/agents/+/commands',
      `${a}/#`,
      `${a}/handhelds/#`,
      '#',
      '$share/g/wms/v1/agents/agent-02/commands',
    ])
      expect(maySubscribe(agent, filter), filter).toBe(false);
  });

  it('a handheld publishes only its own scans and reads only its own acks and answers', () => {
    expect(mayPublish(handheld, `${a}/handhelds/HH-1/scans`)).toBe(true);
    expect(mayPublish(handheld, `${a}/handhelds/HH-2/scans`)).toBe(false);
    expect(mayPublish(handheld, `${a}/events`)).toBe(false);
    expect(maySubscribe(handheld, `${a}/handhelds/HH-1/acks`)).toBe(true);
    expect(maySubscribe(handheld, `${a}/handhelds/+/acks`)).toBe(false);
    expect(maySubscribe(handheld, `${a}/handhelds/HH-1/answers`)).toBe(true);
    expect(maySubscribe(handheld, `${a}/handhelds/HH-2/answers`)).toBe(false);
    // the floor's answers come from the server alone
    expect(mayPublish(handheld, `${a}/handhelds/HH-1/answers`)).toBe(false);
    expect(mayPublish(agent, `${a}/handhelds/HH-1/answers`)).toBe(false);
  });

  it('client ids are pinned to the identity; wms- is the server’s', () => {
    expect(expectedClientId(agent)).toBe('agent-agent-01');
    expect(expectedClientId(handheld)).toBe('handheld-HH-1');
    expect(expectedClientId({ kind: 'service' })).toBeNull();
    expect(isServerClientId('wms-dev')).toBe(true);
    expect(isServerClientId('agent-wms-dev')).toBe(false);
  });

  it('a + in a rule takes one level, never a #', () => {
    expect(filterCovers('a/+/c', 'a/b/c')).toBe(true);
    expect(filterCovers('a/+/c', 'a/+/c')).toBe(true);
    expect(filterCovers('a/+/c', 'a/#')).toBe(false);
    expect(filterCovers('a/+/c', 'a/b/c/d')).toBe(false);
    expect(filterCovers('a/#', 'a/b/c')).toBe(true);
  });

  it('Mosquitto roles carry the same rules', () => {
    expect(dynsecAcls(handheld)).toEqual([
      { acltype: 'publishClientSend', topic: `${a}/handhelds/HH-1/scans`, allow: true },
      { acltype: 'subscribePattern', topic: `${a}/handhelds/HH-1/acks`, allow: true },
      { acltype: 'subscribePattern', topic: `${a}/handhelds/HH-1/answers`, allow: true },
    ]);
  });
});

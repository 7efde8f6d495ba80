import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type CommandReply, commandReplySchema, type DeviceCommand, topics } from '@wms/contracts';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';

/**
 * MQTT side of device commands. Replies are subscribed without sharing: with several server
 * instances, every instance sees every reply, and the one waiting for it resolves. Subscribed at
 * module init, before any bootstrap hook: the station work that the first ingested events start
 * (on bootstrap) may send a command, and its reply must be heard whatever order Nest bootstraps
 * the modules in.
 */
@Injectable()
export class DeviceCommandsGateway implements OnModuleInit {
  private readonly logger = new Logger('device-commands');
  private readonly listeners = new Set<(reply: CommandReply) => void>();

  constructor(@Inject(MQTT) private readonly mqtt: MqttRuntime) {}

  async onModuleInit(): Promise<void> {
    await this.mqtt.client.subscribe(topics.agentCommandRepliesFilter, (topic, payload) => {
      let parsed: ReturnType<typeof commandReplySchema.safeParse> | null;
      try {
        parsed = commandReplySchema.safeParse(JSON.parse(payload.toString('utf8')));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        this.logger.warn({ msg: 'ignored an unreadable command reply', topic });
        return;
      }
      for (const listener of this.listeners) listener(parsed.data);
    });
  }

  onReply(listener: (reply: CommandReply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(agentId: string, command: DeviceCommand): Promise<void> {
    return this.mqtt.client.publish(topics.agentCommands(agentId), JSON.stringify(command));
  }
}

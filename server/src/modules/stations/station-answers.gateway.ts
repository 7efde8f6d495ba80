import { Inject, Injectable, Logger } from '@nestjs/common';
import { type StationAnswer, topics } from '@wms/contracts';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';

/**
 * MQTT side of the floor's answers: an MQTT handheld reads the answer to its scan on its own topic
 * (topics.handheldAnswers; only the server may publish there, broker-acl.ts). A serial station
 * scanner has no way back (the agent's scanner driver takes no output bytes): its answer is on
 * the station screen.
 */
@Injectable()
export class StationAnswersGateway {
  private readonly logger = new Logger('stations');

  constructor(@Inject(MQTT) private readonly mqtt: MqttRuntime) {}

  async toHandheld(agentId: string, answer: StationAnswer): Promise<void> {
    await this.mqtt.client
      .publish(topics.handheldAnswers(agentId, answer.deviceId), JSON.stringify(answer))
      .catch((error: Error) =>
        this.logger.warn({ msg: 'answer not sent to the handheld', deviceId: answer.deviceId, error: error.message }),
      );
  }
}

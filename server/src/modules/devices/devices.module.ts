import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { MQTT, type MqttRuntime } from '../../platform/mqtt/mqtt.module.js';
import { DeviceCommandsController } from './device-commands.controller.js';
import { DeviceCommandsGateway } from './device-commands.gateway.js';
import { DeviceCommandsRepository } from './device-commands.repository.js';
import { DeviceCommandsService } from './device-commands.service.js';
import { DeviceCredentialsController } from './device-credentials.controller.js';
import { DeviceCredentialsService } from './device-credentials.service.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import { StationsController } from './stations.controller.js';

@Module({
  controllers: [StationsController, DeviceCommandsController, DeviceCredentialsController],
  providers: [
    DevicesRepository,
    DevicesService,
    DeviceCommandsRepository,
    DeviceCommandsService,
    DeviceCommandsGateway,
    DeviceCredentialsService,
  ],
  exports: [DevicesService, DeviceCommandsService],
})
export class DevicesModule implements OnModuleInit {
  constructor(
    @Inject(MQTT) private readonly mqtt: MqttRuntime,
    private readonly devices: DevicesService,
  ) {}

  /** The embedded broker lets agents and handhelds in on their registered secrets. */
  onModuleInit(): void {
    this.mqtt.checkCredentials((username, secret) => this.devices.brokerPrincipal(username, secret));
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DevicesService } from './devices.service.js';

@ApiTags('stations')
@ApiBearerAuth()
@Controller('api/stations')
export class StationsController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @ApiOperation({ summary: 'Stations with their devices' })
  async list() {
    return { items: await this.devices.listStations() };
  }
}

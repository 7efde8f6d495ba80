import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { DevicesService } from './devices.service.js';

@ApiTags('stations')
@ApiBearerAuth()
@Controller('api/stations')
export class StationsController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @ApiAnswer({ description: 'The stations (`items`), each with its devices' })
  @ApiOperation({ summary: 'Stations with their devices' })
  async list() {
    return { items: await this.devices.listStations() };
  }
}

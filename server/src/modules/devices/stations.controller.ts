import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../platform/auth/auth.guard.js';
import { CENTRE_ROLES } from '../../platform/auth/roles.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { stationsListed } from './devices.answers.js';
import { DevicesService } from './devices.service.js';

@ApiTags('stations')
@ApiBearerAuth()
@Controller('api/stations')
export class StationsController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  // the centre's floor: a seller sees no station or device (issue 12)
  @Roles(...CENTRE_ROLES)
  @ApiAnswer({ description: 'The stations (`items`), each with its devices', schema: stationsListed })
  @ApiOperation({ summary: 'Stations with their devices' })
  async list(): Promise<Answer<typeof stationsListed>> {
    return { items: await this.devices.listStations() };
  }
}

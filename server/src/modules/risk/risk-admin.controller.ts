import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  RISK_RULES,
  type RiskRuleInput,
  riskRule,
  riskRuleInput,
  riskRules,
  riskWarning,
  temperatureSensor,
  temperatureSensorInput,
  warningDismissInput,
} from '@wms/contracts';
import { z } from 'zod';
import { type AuthenticatedRequest, Roles } from '../../platform/auth/auth.guard.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { ApiAnswer } from '../../platform/http/api-docs.js';
import { codeParam } from '../../platform/http/zod-fields.js';
import { RiskService } from './risk.service.js';

const warehouseCodeParam = codeParam('warehouse code', 30).meta({ example: 'BC-SH1' });
const ruleParam = z.enum(RISK_RULES).describe('The risk rule');

/** Each site's risk rules, probes' zones and the supervisor's dismissal (issue 13): admin and supervisor, never the console. */
@ApiTags('risk')
@ApiBearerAuth()
@Controller('api')
export class RiskAdminController {
  constructor(private readonly risk: RiskService) {}

  @Get('warehouses/:code/risk-rules')
  @Roles('supervisor', 'admin')
  @ApiAnswer({
    description: 'The site’s risk rules with their parameters (defaults where never set)',
    schema: riskRules,
  })
  rules(@Param('code', { schema: warehouseCodeParam }) code: string): Promise<Answer<typeof riskRules>> {
    return this.risk.rules(code);
  }

  @Put('warehouses/:code/risk-rules/:rule')
  @Roles('supervisor', 'admin')
  @ApiAnswer({ description: 'The rule as it now applies', schema: riskRule })
  @ApiOperation({ summary: 'Turn a risk rule on or off for the site and set its parameters (supervisor, admin)' })
  setRule(
    @Param('code', { schema: warehouseCodeParam }) code: string,
    @Param('rule', { schema: ruleParam }) rule: string,
    @Body({ schema: riskRuleInput }) body: RiskRuleInput,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof riskRule>> {
    return this.risk.setRule(code, rule, body, req.user.username);
  }

  @Post('risk/warnings/:id/dismiss')
  @Roles('supervisor')
  @ApiAnswer({ status: 201, description: 'The warning dismissed, signed', schema: riskWarning })
  @ApiOperation({ summary: 'Supervisor: dismiss an open warning as no risk, saying why' })
  dismiss(
    @Param('id', { schema: z.uuid().describe('The warning id') }) id: string,
    @Body({ schema: warningDismissInput }) body: z.infer<typeof warningDismissInput>,
    @Req() req: AuthenticatedRequest,
  ): Promise<Answer<typeof riskWarning>> {
    return this.risk.dismiss(id, req.user.username, body.note);
  }

  @Put('risk/temperature-sensors/:deviceId')
  @Roles('supervisor', 'admin')
  @ApiAnswer({ description: 'The probe and the zone it watches', schema: temperatureSensor })
  @ApiOperation({ summary: 'Place a temperature probe (a device of kind sensor) in a zone' })
  placeSensor(
    @Param('deviceId', { schema: codeParam('device id', 64) }) deviceId: string,
    @Body({ schema: temperatureSensorInput }) body: z.infer<typeof temperatureSensorInput>,
  ): Promise<Answer<typeof temperatureSensor>> {
    return this.risk.placeSensor(deviceId, body.warehouseCode, body.zoneCode);
  }
}

import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { validationPipe } from '../http/validation.pipe.js';
import { ApiKeyGuard } from '../security/api-key.guard.js';
import { CampaignDto } from './campaign.dto.js';
import { type Campaign, CampaignsService } from './campaigns.service.js';

/** Bulk campaigns through `sendBulk`: answered at once with an id, then followed by polling. */
@ApiTags('campaigns')
@ApiSecurity('api-key')
@Controller('campaigns')
@UseGuards(ApiKeyGuard)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'The campaign has started; follow it at GET /campaigns/{id}',
  })
  @ApiBadRequestResponse({ description: 'A malformed campaign, or a rate too low to finish' })
  @ApiServiceUnavailableResponse({ description: 'As many campaigns as allowed are running' })
  async start(@Body(validationPipe) body: CampaignDto): Promise<Pick<Campaign, 'id' | 'state'>> {
    const { id, state } = await this.campaigns.start(body);
    return { id, state };
  }

  /** Progress while it runs; the report (counts, failures, messageIds) once it is done. */
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Campaign> {
    return this.campaigns.get(id);
  }
}

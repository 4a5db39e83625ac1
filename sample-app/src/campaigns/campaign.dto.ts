import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsPositive,
  Max,
  Min,
} from 'class-validator';

/** The most messages one campaign request may carry: larger campaigns stream from a source. */
export const MAX_CAMPAIGN_MESSAGES = 5000;

export class CampaignDto {
  /** The messages, any mix of types. Each is validated on its own; an invalid one is reported, not sent. */
  @ApiProperty({ type: 'array', items: { type: 'object' }, maxItems: MAX_CAMPAIGN_MESSAGES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CAMPAIGN_MESSAGES)
  messages!: unknown[];

  @ApiPropertyOptional({ enum: ['standard', 'telegramViber'], default: 'standard' })
  @IsOptional()
  @IsIn(['standard', 'telegramViber'])
  endpoint?: 'standard' | 'telegramViber';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize?: number;

  @ApiPropertyOptional({ description: 'A client-side limit, in messages per second' })
  @IsOptional()
  @IsPositive()
  ratePerSecond?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  Max,
  Min,
} from 'class-validator';
import { MAX_MESSAGES_PER_CALL } from 'nestjs-smsbat-cascade';

/** The most messages one campaign request may carry: larger campaigns stream from a source. */
export const MAX_CAMPAIGN_MESSAGES = 5000;

/**
 * The longest a campaign may take at its `ratePerSecond`. It bounds how long a campaign holds
 * one of the running slots, and so every wait between its batches (far below the 24.8 days
 * that Node's timers can count).
 */
export const MAX_CAMPAIGN_HOURS = 24;

export class CampaignDto {
  /** The messages, any mix of types. Each is validated on its own; an invalid one is reported, not sent. */
  @ApiProperty({ type: 'array', items: { type: 'object' }, maxItems: MAX_CAMPAIGN_MESSAGES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CAMPAIGN_MESSAGES)
  messages!: unknown[];

  @ApiPropertyOptional({
    enum: ['standard', 'telegramViber'],
    default: 'standard',
    description: 'In-process mode only: in queue mode the queue sends to the standard endpoint',
  })
  @IsOptional()
  @IsIn(['standard', 'telegramViber'])
  endpoint?: 'standard' | 'telegramViber';

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_MESSAGES_PER_CALL,
    default: MAX_MESSAGES_PER_CALL,
    description: 'Messages per API call. In-process mode only: the queue sets its own',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGES_PER_CALL)
  batchSize?: number;

  @ApiPropertyOptional({
    minimum: 0,
    exclusiveMinimum: true,
    description:
      `A limit in messages per second, high enough for the campaign to take at most ` +
      `${MAX_CAMPAIGN_HOURS} hours. In-process mode only: the queue has one limit for all ` +
      '(QUEUE_RATE_PER_SECOND)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  ratePerSecond?: number;
}

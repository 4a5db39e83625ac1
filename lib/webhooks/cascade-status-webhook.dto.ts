import { IsNotEmpty, IsNumber, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';

const isTimestamp = (value: unknown) =>
  (typeof value === 'string' && !Number.isNaN(Date.parse(value))) ||
  (typeof value === 'number' && Number.isFinite(value));

/** The vendor's status webhook payload: `{ messageId, deliverystatus, timestamp, cost }`. */
export class CascadeStatusWebhookDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  messageId!: string;

  /** Kept as sent; an unknown state is flagged on the update, not refused. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  deliverystatus!: string;

  /** An ISO 8601 date-time, or epoch time as a number. */
  @ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: isTimestamp,
      defaultMessage: () => 'timestamp must be an ISO 8601 date-time or a number',
    },
  })
  timestamp!: string | number;

  @IsOptional()
  @IsNumber()
  cost?: number;
}

import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CascadeStatusUpdates } from 'nestjs-smsbat-cascade';

/** Logs each status update the webhook receives: where a real app would update its records. */
@Injectable()
export class DeliveryLog implements OnModuleInit {
  private readonly logger = new Logger('Deliveries');

  constructor(private readonly updates: CascadeStatusUpdates) {}

  onModuleInit(): void {
    this.updates.updates$.subscribe(({ messageId, deliverystatus, final }) =>
      this.logger.log(`Message ${messageId}: ${deliverystatus}${final ? ' (final)' : ''}`),
    );
  }
}

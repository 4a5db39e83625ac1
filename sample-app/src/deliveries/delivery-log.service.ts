import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CascadeStatusUpdates, quote } from 'nestjs-smsbat-cascade';

/** Logs each status update the webhook receives: where a real app would update its records. */
@Injectable()
export class DeliveryLog implements OnModuleInit {
  private readonly logger = new Logger('Deliveries');

  constructor(private readonly updates: CascadeStatusUpdates) {}

  onModuleInit(): void {
    this.updates.updates$.subscribe(({ messageId, deliverystatus, final }) =>
      // Both came from outside: quoted, they cannot forge a log line or show a phone number.
      this.logger.log(
        `Message ${quote(messageId)}: ${quote(deliverystatus)}${final ? ' (final)' : ''}`,
      ),
    );
  }
}

import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { type CascadeDeliveryState, isFinalStatus, isKnownStatus } from '../types/status.types.js';

/** A status change the API reported through the webhook. */
export interface CascadeStatusUpdate {
  messageId: string;
  deliverystatus: CascadeDeliveryState | (string & {});
  /** Whether `deliverystatus` is one of the documented states. */
  known: boolean;
  final: boolean;
  /** When the API says the change happened, as it sent it. */
  timestamp: string | number;
  cost?: number;
  /** When this app received it. */
  receivedAt: Date;
}

/** Hands the webhook's status updates to the app: subscribe to `updates$`. */
@Injectable()
export class CascadeStatusUpdates implements OnModuleDestroy {
  private readonly subject = new Subject<CascadeStatusUpdate>();

  /** Every update received from now on. */
  readonly updates$: Observable<CascadeStatusUpdate> = this.subject.asObservable();

  /** Publishes an update; the webhook route calls it for each valid payload. */
  publish(payload: Omit<CascadeStatusUpdate, 'known' | 'final' | 'receivedAt'>): void {
    const { deliverystatus } = payload;
    this.subject.next({
      ...payload,
      known: isKnownStatus(deliverystatus),
      final: isFinalStatus(deliverystatus),
      receivedAt: new Date(),
    });
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}

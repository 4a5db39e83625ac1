import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Settings } from '../settings/settings.js';

// Hashes first, so that keys of any length compare in constant time.
const digest = (text: string) => createHash('sha256').update(text).digest();

/** The app's own key (SAMPLE_API_KEY), which callers send in `x-api-key`. */
@Injectable()
export class ClientKey {
  private readonly known: Buffer;

  constructor(config: ConfigService<Settings, true>) {
    this.known = digest(config.get('SAMPLE_API_KEY', { infer: true }));
  }

  /** Whether a request carries the key, compared in constant time. */
  carriedBy(request: { headers: Record<string, unknown> }): boolean {
    const given = request.headers['x-api-key'];
    return typeof given === 'string' && timingSafeEqual(digest(given), this.known);
  }

  /** Refuses, with 401, a request without the key. */
  require(request: { headers: Record<string, unknown> }): void {
    if (!this.carriedBy(request)) {
      throw new UnauthorizedException('Send this service\u2019s API key in the x-api-key header');
    }
  }
}

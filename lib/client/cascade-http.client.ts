import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import type { CascadeConfig } from '../types/options.types.js';

/** The clients `createCascadeHttpClient` made, as opposed to one a test or an app provides. */
const OWN_CLIENTS = new WeakSet<HttpService>();

/**
 * Builds the `HttpService` the module talks through, provided under `CASCADE_HTTP_CLIENT` so a
 * test can swap it: an axios instance of its own, apart from any other HTTP client in the app.
 */
export function createCascadeHttpClient(config: CascadeConfig): HttpService {
  const client = new HttpService(
    axios.create({
      baseURL: config.baseUrl,
      // The request client adds the credentials to each request it makes, and only to those.
      headers: { Accept: 'application/json' },
      // Statuses are read by the service, so an HTTP error never becomes an AxiosError
      // (whose config holds the credential headers).
      validateStatus: () => true,
      // A redirect would carry the credential headers to another host.
      maxRedirects: 0,
      // Counted after decompression, so neither a huge body nor a small gzip bomb is held.
      maxContentLength: config.maxResponseBytes,
      httpAgent: new HttpAgent({ keepAlive: true }),
      httpsAgent: new HttpsAgent({ keepAlive: true }),
    }),
  );
  OWN_CLIENTS.add(client);
  return client;
}

/** Whether `client` is one `createCascadeHttpClient` made, configured as above. */
export function isCascadeHttpClient(client: HttpService): boolean {
  return OWN_CLIENTS.has(client);
}

/** Closes the pooled connections of a client made by `createCascadeHttpClient`. */
export function closeCascadeHttpClient(client: HttpService): void {
  const { httpAgent, httpsAgent } = client.axiosRef.defaults;
  for (const agent of [httpAgent, httpsAgent]) {
    if (agent instanceof HttpAgent) agent.destroy();
  }
}

export * from './cascade-status-updates.service.js';
export * from './cascade-status-webhook.dto.js';
export * from './cascade-webhook.module.js';
export type * from './cascade-webhook.options.js';
export { secretsMatch } from './cascade-webhook.guard.js';

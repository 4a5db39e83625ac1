// The package's main entry. Subpaths: `/testing` (the emulator), `/health` (on
// @nestjs/terminus) and `/queue` (on bullmq); each needs only what it names.
export type * from './bulk/bulk.interfaces.js';
export * from './cascade.constants.js';
export * from './cascade.module.js';
export { CASCADE_MODULE_OPTIONS } from './cascade.module-definition.js';
export type { CascadeConfig } from './cascade-options.js';
export * from './cascade.service.js';
export * from './dto/index.js';
export * from './errors/index.js';
export * from './filters/cascade-exception.filter.js';
export type * from './interfaces/cascade-message.interface.js';
export type * from './interfaces/cascade-module-options.interface.js';
export { maskPhone } from './redact.js';
export * from './retry/index.js';
export * from './status/delivery-status.interface.js';
export type { CascadeViolation } from './validation/validate-messages.js';
export * from './webhooks/index.js';

export type { CascadeQueueCampaign } from './campaign-store.js';
export * from './cascade-queue.constants.js';
export { CascadeQueueModule } from './cascade-queue.module.js';
export type { CascadeQueueModuleOptions } from './cascade-queue.options.js';
export * from './cascade-queue.producer.js';
export { CascadeQueueWorker } from './cascade-queue.worker.js';

export * from './cascade.health.js';
export * from './cascade-queue.health.js';
export type { CascadeQueueHealth } from '../types/queue.types.js';

export * from './cascade.health.js';

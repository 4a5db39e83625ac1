export * from './cascade.error.js';
export * from './cascade-api.error.js';
export * from './cascade-network.error.js';
export * from './cascade-validation.error.js';
export * from './cascade-unexpected-response.error.js';
export * from './cascade-status-timeout.error.js';

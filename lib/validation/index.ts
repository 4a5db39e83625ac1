export * from './message-rules.js';
export * from './validate-messages.js';

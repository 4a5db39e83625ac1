export * from './cascade-message.dto.js';
export { CascadeRule } from './cascade-rule.decorator.js';
export * from './parse-cascade-messages.pipe.js';

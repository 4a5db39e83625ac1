export {
  CascadeEmulator,
  type CascadeEmulatorOptions,
  type EmulatedMessage,
  type EmulatorCredentials,
  type EmulatorRequest,
} from './cascade-emulator.js';
export {
  type EmulatorFault,
  type EmulatorFaultRule,
  EmulatorFaultScript,
} from './emulator-faults.js';
export type {
  EmulatedCourse,
  EmulatorLifecycleOptions,
  EmulatorWebhookDelivery,
  EmulatorWebhookOptions,
} from './emulator-lifecycle.js';
export type { CascadeDialect } from '../types/dialect.types.js';

// The package's main entry: every name here is a promise to users, and `api-report.md` (checked
// by a test) lists them all. Subpaths: `/testing` (the emulator), `/health` (on
// @nestjs/terminus) and `/queue` (on bullmq); each needs only what it names.

// The module and its service
export { CascadeModule } from './cascade.module.js';
export {
  getCascadeClientToken,
  getCascadeServiceToken,
  InjectCascade,
} from './cascade.module-definition.js';
export { CascadeService } from './cascade.service.js';
export { CascadeClient, type CascadeProbe } from './client/cascade.client.js';
export type { CascadePostBody, CascadePreparedPost } from './client/prepared-post.js';
export type { CascadeCheckedMessage } from './client/wire.js';
export {
  CASCADE_ENDPOINTS,
  CASCADE_HTTP_CLIENT,
  DEFAULT_BASE_URL,
  DELIVERY_STATES,
  FINAL_DELIVERY_STATES,
  MAX_MESSAGES_PER_CALL,
  MESSAGE_TYPES,
} from './cascade.constants.js';
export type {
  CascadeCallOptions,
  CascadeConfig,
  CascadeCredentialOptions,
  CascadeEndpoints,
  CascadeRateLimit,
  CascadeEndpoint,
  CascadeModuleOptions,
  CascadeTextScrubber,
} from './types/options.types.js';

// Messages and their DTOs
export type {
  CascadeExtraFields,
  CascadeMessage,
  CascadeMessageType,
  CascadeSendResult,
  CascadeVariable,
  CustomerData,
  FlashcallFallback,
  FlashcallMessage,
  PromoMessage,
  TelegramMessage,
  TransactionMessage,
  ViberCarouselItem,
  ViberCarouselMessage,
  ViberMessage,
  ViberSurveyMessage,
} from './types/message.types.js';
export type { CascadeViolation } from './types/violation.types.js';
export type { CascadeDialect } from './types/dialect.types.js';
export {
  type AnyCascadeMessageDto,
  CascadeMessageDto,
  CascadeMessagesDto,
  FlashcallMessageDto,
  PromoMessageDto,
  TransactionMessageDto,
  ViberCarouselMessageDto,
  ViberSurveyMessageDto,
} from './dto/cascade-message.dto.js';
export { CascadeRule } from './dto/cascade-rule.decorator.js';
export { CASCADE_MESSAGE_LIMITS } from './validation/message-rules.js';
export {
  ParseCascadeMessagesPipe,
  validateMessageDtos,
} from './dto/parse-cascade-messages.pipe.js';

// Campaigns
export type {
  CascadeBulkAccepted,
  CascadeBulkCounts,
  CascadeBulkEvent,
  CascadeBulkFailed,
  CascadeBulkNotSent,
  CascadeBulkOptions,
  CascadeBulkProgress,
  CascadeBulkReport,
  CascadeBulkResult,
  CascadeBulkSource,
} from './types/bulk.types.js';

// Delivery tracking
export type {
  CascadeDeliveryState,
  CascadeDeliveryStatus,
  CascadeWaitOptions,
} from './types/status.types.js';
export { isFinalStatus } from './types/status.types.js';
export {
  CascadeStatusUpdates,
  type CascadeStatusUpdate,
} from './webhooks/cascade-status-updates.service.js';
export { CascadeStatusWebhookDto } from './webhooks/cascade-status-webhook.dto.js';
export { CascadeWebhookModule } from './webhooks/cascade-webhook.module.js';
export type * from './webhooks/cascade-webhook.options.js';

// Errors
export { CascadeAbortError, CascadeConfigError, CascadeError } from './errors/cascade.error.js';
export {
  CascadeApiError,
  type CascadeApiErrorDetails,
  CascadeAuthenticationError,
  CascadeBadRequestError,
  CascadeNotFoundError,
  CascadeRateLimitError,
  CascadeServerError,
} from './errors/cascade-api.error.js';
export {
  CascadeNetworkError,
  type CascadeNetworkErrorCode,
} from './errors/cascade-network.error.js';
export { CascadeStatusTimeoutError } from './errors/cascade-status-timeout.error.js';
export { CascadeQueueUnavailableError } from './errors/cascade-queue-unavailable.error.js';
export { CascadeUnexpectedResponseError } from './errors/cascade-unexpected-response.error.js';
export { CascadeValidationError } from './errors/cascade-validation.error.js';
export {
  CascadeExceptionFilter,
  type CascadeErrorAnswer,
} from './filters/cascade-exception.filter.js';

// Retries
export type {
  CascadeGiveUpReason,
  CascadeRetryOptions,
  CascadeRetrySetting,
} from './types/retry.types.js';
export { DEFAULT_RETRY } from './retry/retry-policy.js';
export { CascadeRetry } from './cascade-retry.decorator.js';
export { CascadeRetryInterceptor } from './cascade-retry.interceptor.js';

// Logging helpers
export { maskPhone, quote } from './redact.js';
export { jsonNestsDeeperThan } from './validation/json-depth.js';

import { ValidateBy, type ValidationArguments } from 'class-validator';
import { FIELD_RULES, type MessageField, type RuleContext } from '../validation/message-rules.js';

/** Controllers judge a request at the moment it arrives, and always ask for a zoned date-time. */
export const dtoRuleContext = (): RuleContext => ({ now: Date.now(), requireZone: true });

const check = (field: MessageField, args: ValidationArguments) =>
  FIELD_RULES[field](args.value, args.object as Record<string, unknown>, dtoRuleContext());

/**
 * Validates a DTO property with the same rule the service applies before sending, so a
 * controller's `ValidationPipe` and `CascadeService` never disagree on a message.
 */
export function CascadeRule(field: MessageField): PropertyDecorator {
  return ValidateBy({
    name: field,
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => !check(field, args!),
      defaultMessage: (args?: ValidationArguments) => check(field, args!)?.message ?? '',
    },
  });
}

import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import { describeViolation } from '../errors/cascade-validation.error.js';
import { FIELD_RULES, type MessageField, unknownField } from '../validation/message-rules.js';
import { MAX_NESTED_DEPTH, nestsDeeperThan } from '../validation/nested-shapes.js';
import type { CascadeViolation } from '../types/violation.types.js';
import {
  duplicateIdViolations,
  isMessageType,
  toViolation,
  validateMessage,
} from '../validation/validate-messages.js';
import { dtoRuleContext } from './cascade-rule.decorator.js';
import {
  type AnyCascadeMessageDto,
  CascadeMessageDto,
  MESSAGE_DTOS,
} from './cascade-message.dto.js';

function errorToViolation(index: number, item: Record<string, unknown>, error: ValidationError) {
  const field = error.property;
  const breach =
    field in FIELD_RULES && !error.constraints?.whitelistValidation
      ? FIELD_RULES[field as MessageField](error.value, item, dtoRuleContext())
      : unknownField(field, String(item.messageType));
  return breach && toViolation(index, item, field, breach);
}

/**
 * Validates plain messages with the DTO classes (class-transformer and class-validator), each by
 * the class its `messageType` names. Returns the DTO instances and every violation found.
 */
export function validateMessageDtos(items: readonly unknown[]): {
  dtos: AnyCascadeMessageDto[];
  violations: CascadeViolation[];
} {
  const dtos: AnyCascadeMessageDto[] = [];
  const violations: CascadeViolation[] = [];
  items.forEach((item, index) => {
    // class-transformer recurses without a bound, so a message nesting deeper than any valid one
    // (the message, then a field's levels) is judged by the pre-send check alone, which stops at
    // its bounds and finds the same violations.
    if (
      typeof item !== 'object' ||
      item === null ||
      Array.isArray(item) ||
      nestsDeeperThan(item, 1 + MAX_NESTED_DEPTH)
    ) {
      violations.push(...validateMessage(item, index, dtoRuleContext()));
      return;
    }
    const fields = item as Record<string, unknown>;
    const known = isMessageType(fields.messageType);
    const dtoClass = known ? MESSAGE_DTOS[fields.messageType as never] : CascadeMessageDto;
    const dto = plainToInstance(dtoClass, fields) as AnyCascadeMessageDto;
    for (const error of validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })) {
      // Which fields are unknown depends on the type: with no readable type, there is no telling.
      if (!known && error.constraints?.whitelistValidation) continue;
      const violation = errorToViolation(index, fields, error);
      if (violation) violations.push(violation);
    }
    dtos.push(dto);
  });
  return { dtos, violations: violations.concat(duplicateIdViolations(items)) };
}

/**
 * Turns a request body of one message or an array of 1 to 1000 into validated DTO instances,
 * each resolved by its `messageType`. A 400 lists every violation, naming each message by its
 * index and `id`; nothing reaches the handler then.
 *
 * @example
 * send(@Body(ParseCascadeMessagesPipe) messages: AnyCascadeMessageDto | AnyCascadeMessageDto[])
 */
@Injectable()
export class ParseCascadeMessagesPipe implements PipeTransform {
  transform(value: unknown): AnyCascadeMessageDto | AnyCascadeMessageDto[] {
    const many = Array.isArray(value);
    const items: unknown[] = many ? value : [value];
    if (items.length === 0 || items.length > MAX_MESSAGES_PER_CALL) {
      throw new BadRequestException(
        `A request carries 1 to ${MAX_MESSAGES_PER_CALL} messages; this one carries ${items.length}`,
      );
    }
    const { dtos, violations } = validateMessageDtos(items);
    if (violations.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: violations.map(describeViolation),
        violations,
      });
    }
    return many ? dtos : dtos[0];
  }
}

import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** A property's name as an error may repeat it: a short, plain one only, since it is input too. */
const nameOf = (property: string) =>
  /^[\w.-]{1,64}$/.test(property) ? property : 'with a long or unusual name';

const describe = ({ property, constraints = {} }: ValidationError) =>
  Object.entries(constraints).map(([constraint, message]) =>
    constraint === 'whitelistValidation'
      ? `property ${nameOf(property)} should not exist`
      : message,
  );

/**
 * Validates a body against its DTO class: unknown properties are refused, not dropped, and an
 * error never repeats a property's name at any length (a 1 MB name must not give a 1 MB answer).
 * Scoped to the app's own bodies, so the package's routes keep their own rules.
 */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => new BadRequestException(errors.flatMap(describe)),
});

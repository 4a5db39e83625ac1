import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** The API's message ids are UUIDs; this leaves room for other plain forms, and no more. */
const MESSAGE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Refuses a `messageId` that no message can have, before it is sent upstream or echoed. */
@Injectable()
export class ParseMessageIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!MESSAGE_ID.test(value)) {
      throw new BadRequestException(
        'messageId must be 1 to 100 letters, digits, "-", "_", "." or ":", as a send answered',
      );
    }
    return value;
  }
}

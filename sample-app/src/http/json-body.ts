import type { IncomingMessage } from 'node:http';
import { jsonNestsDeeperThan } from 'nestjs-smsbat-cascade';

/**
 * How deep a JSON body may nest. The validators walk a body by recursion, so a body nested
 * 100 000 levels deep would overflow the stack; a real one nests 4 levels at most.
 */
const MAX_JSON_DEPTH = 32;

const refusal = (status: number, type: string, message: string) =>
  Object.assign(new Error(message), { status, type });

/**
 * The JSON parser's `verify` step: refuses a body that nests deeper than MAX_JSON_DEPTH, in one
 * pass over its bytes, before it is parsed. It reads UTF-8 only, as JSON is exchanged in
 * (RFC 8259): in another encoding a bracket's byte may be part of another character.
 */
export function refuseDeepJson(
  _request: IncomingMessage,
  _response: unknown,
  body: Buffer,
  encoding: string,
): void {
  if (encoding.toLowerCase() !== 'utf-8') {
    throw refusal(415, 'charset.unsupported', 'The request body must be JSON in UTF-8');
  }
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw refusal(
      400,
      'entity.too.deep',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
    );
  }
}

import type { CascadeEndpoint } from '../types/options.types.js';

/** What a prepared post carries that only the client reads. */
export interface CascadePostBody {
  /** The body: JSON, as UTF-8 bytes; a pooled buffer, used again once the post is done. */
  json: Buffer;
  /** Names the post in a log line, with masked phone numbers only. */
  label: string;
}

/** The bodies of the prepared posts not yet posted: a copy of a post has none. */
const BODIES = new WeakMap<CascadePreparedPost, CascadePostBody>();

/**
 * Checked messages serialized for one post to the API, by `CascadeClient.prepare`, to be posted
 * once with `postPrepared$`. Its body is held where only the client reads it: the bytes may be a
 * pooled buffer that carries another body once this post is done, so neither a second post nor
 * a copy of this one can send them.
 */
export class CascadePreparedPost {
  /** Made by `CascadeClient.prepare`. */
  constructor(
    /** The endpoint it is posted to. */
    readonly endpoint: CascadeEndpoint,
    /** The messages' tracking ids, in order, which the API's results are lined up with. */
    readonly ids: readonly string[],
    body: CascadePostBody,
  ) {
    BODIES.set(this, body);
  }
}

/** The body of a post not yet posted, taken so that it is posted once; undefined otherwise. */
export function takeBody(post: CascadePreparedPost): CascadePostBody | undefined {
  const body = BODIES.get(post);
  BODIES.delete(post);
  return body;
}

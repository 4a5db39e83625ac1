import { CASCADE_ENDPOINTS } from 'nestjs-smsbat-cascade';

/** The error body the emulator answers with, as the vendor documents it. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Posts a body (JSON unless a string) to a send route, with a key and JSON by default. */
export function send(
  baseUrl: string,
  body: unknown,
  { path = CASCADE_ENDPOINTS.standard as string, headers = {} as Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Authorization-Key': 'k', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Looks up a message's delivery status, with a key by default. */
export function lookUp(
  baseUrl: string,
  messageId: string,
  headers: Record<string, string> = { 'X-Authorization-Key': 'k' },
): Promise<Response> {
  return fetch(`${baseUrl}/bat/message/${messageId}`, { headers });
}

/** Sends and returns the messageIds, failing the test unless all were accepted. */
export async function sendOk(
  baseUrl: string,
  messages: unknown[],
  headers?: Record<string, string>,
): Promise<string[]> {
  const response = await send(baseUrl, messages, { headers });
  const body = (await response.json()) as { messageId: string }[];
  expect({ status: response.status, body }).toMatchObject({ status: 200 });
  return body.map((result) => result.messageId);
}

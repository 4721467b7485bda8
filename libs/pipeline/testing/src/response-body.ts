/** The API's one error shape (see @fanout/http-response). */
export interface ErrorBody {
  error: string;
  details: { path: string; message: string }[];
}

/** The JSON body of an API response, parsed: what the client reads. */
export function responseBody<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}

/**
 * The one API client: openapi-fetch typed by `schema.d.ts` (generated from the server's OpenAPI
 * schema with `npm run gen:api`), with Django's session cookie and CSRF handled here.
 *
 * CSRF: GET /api/auth/csrf/ sets the `csrftoken` cookie; every unsafe request echoes it in
 * `X-CSRFToken`. Django rotates the token at log-in, so it is read from the cookie per request.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export class ApiError extends Error {
  readonly status: number;
  /** Field errors as DRF returns them: {"username": ["This username is taken."]}. */
  readonly fields: Record<string, string[]>;

  constructor(status: number, message: string, fields: Record<string, string[]> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields;
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

let csrfRequest: Promise<void> | null = null;

/** Make sure the CSRF cookie exists (one request, shared by concurrent callers). */
function ensureCsrf(): Promise<void> {
  if (readCookie("csrftoken")) return Promise.resolve();
  csrfRequest ??= fetch("/api/auth/csrf/", { credentials: "same-origin" })
    .then(() => undefined)
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

/** The CSRF token for a request the typed client cannot make (a raw audio body). */
export async function csrfToken(): Promise<string | null> {
  await ensureCsrf();
  return readCookie("csrftoken");
}

const csrf: Middleware = {
  async onRequest({ request }) {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return request;
    await ensureCsrf();
    const token = readCookie("csrftoken");
    if (token) request.headers.set("X-CSRFToken", token);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

function asMessages(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(asMessages);
  if (value && typeof value === "object") return Object.values(value).flatMap(asMessages);
  return [];
}

/** Turn an error body from DRF into one sentence for the user plus per-field messages. */
export function describeError(status: number, body: unknown): ApiError {
  const fields: Record<string, string[]> = {};
  let detail: string[] = [];
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === "detail" || key === "non_field_errors") detail = detail.concat(asMessages(value));
      else fields[key] = asMessages(value);
    }
  }
  let message = detail.join(" ");
  if (!message) {
    const first = Object.entries(fields)[0];
    if (first) message = `${first[0].replace(/_/g, " ")}: ${first[1].join(" ")}`;
  }
  if (!message) {
    if (status === 401 || status === 403) message = "You need to log in to do that.";
    else if (status === 404) message = "Not found: it does not exist or is not yours.";
    else if (status === 429) message = "Too many attempts; wait a minute and try again.";
    else if (status >= 500) message = `The server had a problem (HTTP ${status}). Try again.`;
    else message = `The request failed (HTTP ${status}).`;
  }
  return new ApiError(status, message, fields);
}

/**
 * Await an openapi-fetch call and return its data, or throw an ApiError that says what happened
 * (including "could not reach the server" when the request never got an answer).
 */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(0, "Could not reach the server. Check your connection and try again.");
  }
  if (!result.response.ok) throw describeError(result.response.status, result.error);
  return result.data as T;
}

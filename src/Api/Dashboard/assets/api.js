// Calls to Seismo's API with the signed-in key. Errors carry Seismo's error body: {error: {code, message}}.
const KEY = 'seismo.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, { method = 'GET', body, key = session.key } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Seismo cannot be reached. Check the connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!response.ok) {
    const error = json && json.error;
    throw new ApiError(response.status, error ? error.code : 'HTTP_' + response.status,
      error ? error.message : `Request failed with status ${response.status}`);
  }
  return json;
}

/** The URL of one of Seismo's SSE streams; EventSource cannot send headers, so the key goes as ?key=. */
export function streamUrl(path, params = {}) {
  const query = new URLSearchParams({ ...params, key: session.key });
  return `${path}?${query}`;
}

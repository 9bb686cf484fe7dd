// The gateway's HTTP API, with every refusal turned into words from its problem+json body.

export class ProblemError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

export function describe(status, problem) {
  const title = problem?.title;
  const detail = problem?.detail;
  if (title && detail) return `${title}: ${detail}`;
  return detail || title || `The server answered ${status}.`;
}

export async function call(method, url, { json, form, token } = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  if (token) headers.Authorization = `Bearer ${token}`;

  let response;
  try {
    response = await fetch(url, { method, headers, body });
  } catch {
    throw new ProblemError(0, { title: 'Offline', detail: 'The server cannot be reached; check the connection and try again.' });
  }
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* a proxy's HTML error page: described by status */ }
  if (!response.ok) throw new ProblemError(response.status, parsed);
  return parsed;
}

/**
 * Masks the secrets a feed URL may carry so it can appear in error messages,
 * logs and Temporal failure histories: the password of `user:password@`
 * (or a lone token in the user position) and query parameters whose names
 * suggest a credential (token, key, password, secret, signature, ...).
 */

const MASK = '***';

// Names such as `token`, `access_token`, `apiKey`, `X-Amz-Signature`, `sig`, `passwd`.
const SECRET_PARAM = /(token|key|pass(word|wd)?|secret|sig(nature)?|auth|credential|session)/i;

function maskQuery(search: string): string {
  if (search.length <= 1) return search;
  const parts = search
    .slice(1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      let name = part.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the raw name.
      }
      return SECRET_PARAM.test(name) ? `${part.slice(0, eq)}=${MASK}` : part;
    });
  return `?${parts.join('&')}`;
}

// Used when the text does not parse as a URL: hide whatever sits between "//" and "@".
function maskUnparsable(text: string): string {
  return text.replace(/\/\/[^/?#@]*@/, `//${MASK}@`);
}

/** Returns the URL with credentials and secret-looking query values replaced by `***`. */
export function maskUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return maskUnparsable(String(url));
  }
  if (parsed.password) {
    parsed.password = MASK;
  } else if (parsed.username) {
    // A user name without a password is usually a token (https://TOKEN@host/...).
    parsed.username = MASK;
  }
  const search = maskQuery(parsed.search);
  const base = `${parsed.protocol}//${parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''}${parsed.host}${parsed.pathname}`;
  return `${base}${search}${parsed.hash}`;
}

// Connection URLs end up in error messages and logs; their passwords must not.
const CREDENTIALS_IN_TEXT = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]*@/gi;

/** `url` with its password replaced by `***`; text that is no URL is returned unchanged. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return maskPasswords(url);
  }
}

/** Masks the password of every `scheme://user:password@` inside free text. */
export function maskPasswords(text: string): string {
  return text.replace(CREDENTIALS_IN_TEXT, '$1***@');
}

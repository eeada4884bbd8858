import { describe, expect, it } from 'vitest';
import { FeedHttpError } from './errors.js';
import { maskUrl } from './mask-url.js';

describe('maskUrl', () => {
  it('masks the password but keeps the user', () => {
    expect(maskUrl('https://user:s3cret@feeds.example/path/feed.xml')).toBe('https://user:***@feeds.example/path/feed.xml');
  });

  it('masks a lone token in the user position', () => {
    expect(maskUrl('https://ghp_abc123@feeds.example/feed.xml')).toBe('https://***@feeds.example/feed.xml');
  });

  it('masks secret-looking query parameters and keeps the rest verbatim', () => {
    const url = 'https://feeds.example/export?format=yml&api_key=K1&token=T2&X-Amz-Signature=S3&password=P4&client_secret=C5&page=2&q=a%20b';
    expect(maskUrl(url)).toBe(
      'https://feeds.example/export?format=yml&api_key=***&token=***&X-Amz-Signature=***&password=***&client_secret=***&page=2&q=a%20b',
    );
  });

  it('leaves URLs without secrets unchanged', () => {
    expect(maskUrl('http://127.0.0.1:8080/feed.xml?page=1#top')).toBe('http://127.0.0.1:8080/feed.xml?page=1#top');
    expect(maskUrl(new URL('https://feeds.example/'))).toBe('https://feeds.example/');
  });

  it('masks credentials even in text that is not a valid URL', () => {
    expect(maskUrl('http://user:pw@exa mple/feed')).toBe('http://***@exa mple/feed');
  });

  it('is what error messages show', () => {
    const error = new FeedHttpError({ url: 'https://u:p@feeds.example/f?token=t', status: 403, statusText: 'Forbidden' });
    expect(error.message).toBe('Feed download failed with HTTP 403 Forbidden from https://u:***@feeds.example/f?token=***');
    expect(error.url).toBe('https://u:***@feeds.example/f?token=***');
    expect(error.retryable).toBe(false);
    expect(new FeedHttpError({ url: 'https://feeds.example/', status: 429 }).retryable).toBe(true);
    expect(new FeedHttpError({ url: 'https://feeds.example/', status: 502 }).retryable).toBe(true);
  });
});

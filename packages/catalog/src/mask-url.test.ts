import { describe, expect, it } from 'vitest';
import { maskPasswords, maskUrl } from './mask-url.js';

describe('maskUrl', () => {
  it('masks the password and keeps everything else', () => {
    expect(maskUrl('postgres://shop:s3cr%40t@db:5432/shop?sslmode=require')).toBe('postgres://shop:***@db:5432/shop?sslmode=require');
  });

  it('leaves URLs without a password alone', () => {
    expect(maskUrl('postgres://shop@db/shop')).toBe('postgres://shop@db/shop');
  });

  it('masks passwords inside text that is not a URL', () => {
    expect(maskPasswords('connect postgres://u:p@h:1/d failed; retry postgresql://a:b@c/d')).toBe(
      'connect postgres://u:***@h:1/d failed; retry postgresql://a:***@c/d',
    );
    expect(maskUrl('not a url u:p@')).toBe('not a url u:p@');
  });
});

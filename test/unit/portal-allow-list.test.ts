import { describe, expect, it } from '@jest/globals';
import { normaliseHostName, PortalAllowList } from '../../src/bitrix/portal-allow-list.js';

const list = PortalAllowList.parse(
  '*.bitrix24.com, crm.example.com, https://secure.example.org:8443, http://portal-a.test:41234, крм.пример.рф',
);
const url = (named: string) => {
  const resolution = list.resolve(named);
  return resolution.ok ? resolution.portalUrl.href : resolution.reason;
};

describe('PortalAllowList: what a request may name in X-Bitrix24-Domain', () => {
  it('turns an allowed host into the portal URL: https on its default port, or the scheme and port listed', () => {
    expect(url('acme.bitrix24.com')).toBe('https://acme.bitrix24.com/');
    expect(url('crm.example.com')).toBe('https://crm.example.com/');
    expect(url('secure.example.org')).toBe('https://secure.example.org:8443/');
    expect(url('portal-a.test')).toBe('http://portal-a.test:41234/');
  });

  it('normalises before matching: letter case, one trailing dot, IDN to punycode, full-width dots', () => {
    expect(url('ACME.Bitrix24.COM')).toBe('https://acme.bitrix24.com/');
    expect(url('acme.bitrix24.com.')).toBe('https://acme.bitrix24.com/');
    expect(url('КРМ.Пример.РФ')).toBe('https://xn--j1ael.xn--e1afmkfd.xn--p1ai/');
    expect(url('xn--j1ael.xn--e1afmkfd.xn--p1ai')).toBe('https://xn--j1ael.xn--e1afmkfd.xn--p1ai/');
    expect(url('acme\u3002bitrix24\u3002com')).toBe('https://acme.bitrix24.com/');
  });

  it('lets a wildcard stand for exactly one label', () => {
    expect(url('a.b.bitrix24.com')).toBe('NOT_ALLOWED');
    expect(url('bitrix24.com')).toBe('NOT_ALLOWED');
    expect(url('evilbitrix24.com')).toBe('NOT_ALLOWED');
    expect(url('acme.bitrix24.com.evil.com')).toBe('NOT_ALLOWED');
  });

  it.each([
    ['127.0.0.1'],
    ['10.0.0.1'],
    ['169.254.169.254'],
    ['2130706433'],
    ['0x7f.1'],
    ['0177.0.0.1'],
    ['127.1'],
    ['[::1]'],
    ['::1'],
    ['[::ffff:127.0.0.1]'],
    ['::ffff:7f00:1'],
    ['１２７.０.０.１'],
    ['acme.bitrix24.0x7f'],
    ['a.1'],
  ])('refuses the IP literal %s', (named) => {
    expect(url(named)).toBe('IP_LITERAL');
  });

  it.each([
    ['user@acme.bitrix24.com', 'USER_INFO'],
    ['user:pass@acme.bitrix24.com', 'USER_INFO'],
    ['acme.bitrix24.com@evil.test', 'USER_INFO'],
    ['acme.bitrix24.com:80', 'PORT_NOT_ALLOWED'],
    ['acme.bitrix24.com:8080', 'PORT_NOT_ALLOWED'],
    ['secure.example.org:443', 'PORT_NOT_ALLOWED'],
    ['https://acme.bitrix24.com', 'MALFORMED'],
    ['acme.bitrix24.com/rest', 'MALFORMED'],
    ['acme.bitrix24.com?x', 'MALFORMED'],
    ['acme.bitrix24.com:port', 'MALFORMED'],
    ['exa%6Dple.bitrix24.com', 'MALFORMED'],
    ['acme..bitrix24.com', 'MALFORMED'],
    ['acme.bitrix24.com..', 'MALFORMED'],
    ['-acme.bitrix24.com', 'MALFORMED'],
    ['ac me.bitrix24.com', 'MALFORMED'],
    ['a_b.bitrix24.com', 'MALFORMED'],
    ['localhost', 'NOT_ALLOWED'],
    ['\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3', 'NOT_ALLOWED'],
    ['metadata.google.internal', 'NOT_ALLOWED'],
  ])('refuses %s (%s)', (named, reason) => {
    expect(url(named)).toBe(reason);
  });

  it('accepts a port only when it is the one listed for the host', () => {
    expect(url('secure.example.org:8443')).toBe('https://secure.example.org:8443/');
    expect(url('portal-a.test:41234')).toBe('http://portal-a.test:41234/');
    expect(url('portal-a.test:41235')).toBe('PORT_NOT_ALLOWED');
  });

  it("accepts the scheme's default port written out (443 for https, 80 for http) as the host alone", () => {
    expect(url('acme.bitrix24.com:443')).toBe('https://acme.bitrix24.com/');
    expect(url('crm.example.com:0443')).toBe('https://crm.example.com/');
    const plain = PortalAllowList.parse('http://intranet.example');
    const resolved = plain.resolve('intranet.example:80');
    expect(resolved.ok && resolved.portalUrl.href).toBe('http://intranet.example/');
    expect(plain.resolve('intranet.example:443')).toMatchObject({ reason: 'PORT_NOT_ALLOWED' });
  });

  it('says why, in a message that names the normalised host only', () => {
    expect(list.resolve('ACME.example.NET')).toEqual({
      ok: false,
      reason: 'NOT_ALLOWED',
      message: 'acme.example.net is not one of the portals this server serves (BITRIX24_PORTALS).',
    });
  });
});

describe('normaliseHostName', () => {
  it('gives the name DNS and TLS will see, or why it is not one', () => {
    expect(normaliseHostName('Acme.Bitrix24.com.')).toEqual({
      ok: true,
      host: 'acme.bitrix24.com',
    });
    expect(normaliseHostName('пример.рф')).toEqual({ ok: true, host: 'xn--e1afmkfd.xn--p1ai' });
    expect(normaliseHostName('0x7f.0.0.1')).toEqual({ ok: false, reason: 'IP_LITERAL' });
    expect(normaliseHostName('')).toEqual({ ok: false, reason: 'MALFORMED' });
    expect(normaliseHostName(`${'a'.repeat(64)}.com`)).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});

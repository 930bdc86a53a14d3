/** The value forms of `Get-… | ConvertTo-Json`, remote (display strings) and local (objects) alike. */
import { describe, expect, it } from 'vitest';
import * as v from '../../../src/core/import/values.js';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('import exchange: value forms', () => {
  it('sizes: the display form, Unlimited, bytes, and Unlimited<ByteQuantifiedSize> objects', () => {
    expect(value(v.size('35 MB (36,700,160 bytes)'))).toBe('35MB');
    expect(value(v.size('256 KB (262,144 bytes)'))).toBe('256KB');
    // The bytes in brackets decide: 20.5 MB is not a whole number of MB.
    expect(value(v.size('20.5 MB (21,495,808 bytes)'))).toBe('20992KB');
    expect(value(v.size('Unlimited'))).toBe('unlimited');
    expect(value(v.size(36700160))).toBe('35MB');
    expect(value(v.size({ IsUnlimited: true }))).toBe('unlimited');
    expect(value(v.size({ IsUnlimited: false, Value: '36 MB (37,748,736 bytes)' }))).toBe('36MB');
    expect(v.size('big').ok).toBe(false);
  });

  it('durations: TimeSpan strings with and without days, and TimeSpan objects (Ticks)', () => {
    expect(value(v.duration('00:05:00'))).toBe('5m');
    expect(value(v.duration('2.00:00:00'))).toBe('2d');
    expect(value(v.duration('04:00:00'))).toBe('4h');
    expect(value(v.duration('00:00:05'))).toBe('5s');
    expect(value(v.duration({ Ticks: 3_000_000_000, Days: 0, Hours: 0, Minutes: 5, TotalMinutes: 5 }))).toBe('5m');
    expect(value(v.duration({ TotalMilliseconds: 600_000 }))).toBe('10m');
    expect(v.duration('25:00:00').ok).toBe(false);
  });

  it('Unlimited<int>: numbers, their strings, Unlimited, and the object form', () => {
    expect(value(v.limit('5000'))).toBe(5000);
    expect(value(v.limit(20))).toBe(20);
    expect(value(v.limit('Unlimited'))).toBe('unlimited');
    expect(value(v.limit({ IsUnlimited: false, Value: 5 }))).toBe(5);
  });

  it('address spaces: "SMTP:*;1" strings and { Type, Address, Cost } objects, written as strings', () => {
    expect(value(v.addressSpace('SMTP:fabrikam.com;1'))).toBe('SMTP:fabrikam.com;1');
    expect(value(v.addressSpace('smtp:*.Contoso.com;10'))).toBe('SMTP:*.contoso.com;10');
    expect(value(v.addressSpace({ Type: 'SMTP', Address: '*', Cost: 100, IsLocal: false, Domain: null }))).toBe('SMTP:*;100');
    expect(value(v.addressSpace({ Address: 'fabrikam.com' }))).toBe('SMTP:fabrikam.com;1');
    expect(v.addressSpace({ Type: 'SMTP', Address: 'fabrikam.com', Cost: 500 }).ok).toBe(false);
  });

  it('IP ranges: strings, and IPRange objects in CIDR, LoHi and single-address formats', () => {
    const ip = (text: string) => ({ AddressFamily: 'InterNetwork', IPAddressToString: text });
    expect(value(v.ipRange('10.1.5.0/24'))).toBe('10.1.5.0/24');
    expect(value(v.ipRange({ LowerBound: ip('10.1.5.0'), UpperBound: ip('10.1.5.255'), CIDRLength: 24, RangeFormat: 'CIDR' }))).toBe('10.1.5.0/24');
    expect(value(v.ipRange({ LowerBound: ip('0.0.0.0'), UpperBound: ip('255.255.255.255'), CIDRLength: null, RangeFormat: 'LoHi' }))).toBe('0.0.0.0-255.255.255.255');
    expect(value(v.ipRange({ LowerBound: ip('10.1.5.7'), UpperBound: ip('10.1.5.7'), RangeFormat: 'SingleAddress' }))).toBe('10.1.5.7');
    expect(value(v.ipRange({ Expression: '192.168.1.10-192.168.1.20' }))).toBe('192.168.1.10-192.168.1.20');
    expect(v.ipRange('10.1.5.0/33').ok).toBe(false);
  });

  it('bindings: "IP:port" strings and { Address, Port } objects, IPv6 in brackets', () => {
    expect(value(v.binding('[::]:25'))).toBe('[::]:25');
    expect(value(v.binding({ Address: { IPAddressToString: '10.1.0.11' }, Port: 2525 }))).toBe('10.1.0.11:2525');
    expect(value(v.binding({ Address: { IPAddressToString: '::' }, Port: 25 }))).toBe('[::]:25');
  });

  it('identities: a name, a DN, a canonical name, SERVER\\Connector, or an ADObjectId object', () => {
    expect(value(v.objectName('EX01'))).toBe('EX01');
    expect(value(v.objectName('CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com'))).toBe('EX01');
    expect(value(v.objectName('CN=Lyon\\, FR,CN=Sites,CN=Configuration,DC=contoso,DC=com'))).toBe('Lyon, FR');
    expect(value(v.objectName('contoso.com/Configuration/Sites/Paris'))).toBe('Paris');
    expect(value(v.objectName('EX01\\Default Frontend EX01'))).toBe('Default Frontend EX01');
    expect(value(v.objectName({ Name: 'DAG1', DistinguishedName: 'CN=DAG1,CN=Database Availability Groups,…' }))).toBe('DAG1');
    expect(value(v.objectName({ DistinguishedName: 'CN=Nice,CN=Sites,CN=Configuration,DC=contoso,DC=com' }))).toBe('Nice');
    expect(v.organizationOfDn('CN=Transport Settings,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com')).toBe('Contoso');
  });

  it('enums as written; an enum a local session wrote as its number is refused, not guessed', () => {
    const domainType = v.enumValue(['Authoritative', 'InternalRelay', 'ExternalRelay'] as const);
    expect(value(domainType('internalrelay'))).toBe('InternalRelay');
    const number = domainType(2);
    expect(number.ok).toBe(false);
    expect(number.ok ? '' : number.error).toContain("enum's number");
    const groups = v.flags(['AnonymousUsers', 'ExchangeServers', 'ExchangeLegacyServers'] as const);
    expect(value(groups('AnonymousUsers, ExchangeServers, ExchangeLegacyServers'))).toEqual(['AnonymousUsers', 'ExchangeServers', 'ExchangeLegacyServers']);
    expect(value(groups(['ExchangeServers']))).toEqual(['ExchangeServers']);
  });

  it('smart hosts and SMTP addresses', () => {
    expect(value(v.smartHost('[10.0.0.5]'))).toBe('10.0.0.5');
    expect(value(v.smartHost({ Domain: { Domain: 'mail.fabrikam.com' }, IsIPAddress: false }))).toBe('mail.fabrikam.com');
    expect(value(v.smtpAddress('SMTP:Bob@Fabrikam.com'))).toBe('bob@fabrikam.com');
  });
});

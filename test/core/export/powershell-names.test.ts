/**
 * Every config key the export turns into a parameter is one the cmdlet has (powershell-cmdlets.ts,
 * written from Microsoft's pages), and every size or duration key is written as one: checked over
 * the schema itself, so a key added later is covered too.
 */
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { KNOWN_CMDLETS } from '../../../src/core/export/powershell-cmdlets.js';
import { DURATION_KEYS, parameterName, SIZE_KEYS } from '../../../src/core/export/powershell.js';
import { organizationSchema, transportServiceShape } from '../../../src/core/schema/organization.js';
import { receiveConnectorSchema } from '../../../src/core/schema/receive-connector.js';
import { sendConnectorSchema } from '../../../src/core/schema/send-connector.js';
import { siteLinkSchema, siteSchema } from '../../../src/core/schema/sites.js';
import { readLine, unknownNames } from '../../helpers/powershell-lines.js';

type Shape = Record<string, z.ZodType>;

/** Keys that are not key → -Key parameters, each for a reason the exporter's comments give. */
const cases: [string, Shape, string, string[]][] = [
  ['organization', organizationSchema.shape, 'Set-TransportConfig', ['name']],
  ['transportService', transportServiceShape, 'Set-TransportService', []],
  ['sites', siteSchema.shape, 'Set-AdSite', ['name']],
  ['siteLinks', siteLinkSchema.shape, 'Set-AdSiteLink', ['name', 'sites', 'cost']],
  ['sendConnectors', sendConnectorSchema.shape, 'New-SendConnector', ['authenticationCredential']],
  ['receiveConnectors', receiveConnectorSchema.shape, 'New-ReceiveConnector', ['adPermissions', 'atrnEnabled', 'bareLinefeedRejectionEnabled', 'smtpUtf8Enabled']],
  ['receiveConnectors (Set-)', receiveConnectorSchema.shape, 'Set-ReceiveConnector', ['name', 'server', 'usage', 'transportRole', 'adPermissions', 'atrnEnabled']],
];

describe('config keys as Exchange parameters', () => {
  it.each(cases)('%s: every key is a parameter of %s', (_section, shape, cmdlet, except) => {
    const known = new Set(KNOWN_CMDLETS[cmdlet]!.map((p) => p.toLowerCase()));
    const missing = Object.keys(shape).filter((key) => !except.includes(key) && !known.has(parameterName(key).toLowerCase()));
    expect(missing).toEqual([]);
  });

  it('knows every size and duration key of the schema as one', () => {
    for (const [, shape] of cases) {
      for (const [key, schema] of Object.entries(shape)) {
        const size = schema.safeParse('35MB');
        const duration = schema.safeParse('5m');
        if (size.success && size.data === 35 * 1024 ** 2) expect(SIZE_KEYS.has(key), key).toBe(true);
        if (duration.success && duration.data === 300_000) expect(DURATION_KEYS.has(key), key).toBe(true);
      }
    }
  });

  it('catches a misspelt cmdlet or parameter', () => {
    expect(unknownNames("Set-AdSite -Identity 'Paris' -HubSiteEnabld $true\nNew-SendConector -Name 'x'")).toEqual(['Set-AdSite -HubSiteEnabld', 'New-SendConector']);
    expect(unknownNames("# [EDGE01] Set-TransportService -Identity 'EDGE01' -MessageExpiryTimeout '1.00:00:00'")).toEqual(['Set-TransportService -MessageExpiryTimeout']);
  });

  it('reads an unbalanced quote or parenthesis as an error, a doubled quote as part of the string', () => {
    expect(() => readLine("Set-AdSite -Identity 'Paris''")).toThrow(/unbalanced quote/);
    expect(() => readLine("Set-AdSite -Identity 'Paris’")).not.toThrow();
    expect(() => readLine("New-SendConnector -AuthenticationCredential (Get-Credential -UserName 'u'")).toThrow(/unbalanced/);
    expect(() => readLine("Set-AdSite -Identity 'Paris')")).toThrow(/unbalanced/);
    expect(readLine("Set-AdSite -Identity 'a -HubSiteEnabled '' b' -InboundMailEnabled $false")[0]!.parameters).toEqual(['Identity', 'InboundMailEnabled']);
  });
});

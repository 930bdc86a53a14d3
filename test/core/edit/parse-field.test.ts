import { describe, expect, it } from 'vitest';
import { RECEIVE_CONNECTOR, SEND_CONNECTOR } from '../../../src/core/edit/kinds.js';
import { parseFieldValue } from '../../../src/core/edit/parse-field.js';

const credential = SEND_CONNECTOR.fields.find((f) => f.key === 'authenticationCredential')!;

describe('--authentication-credential (R46, V39)', () => {
  it('reads username and where the password is, never the password itself', () => {
    expect(parseFieldValue(credential, 'username=relay@contoso.com, passwordEnv=FABRIKAM_SMTP_PASSWORD')).toEqual({
      ok: true,
      value: { username: 'relay@contoso.com', passwordEnv: 'FABRIKAM_SMTP_PASSWORD' },
    });
    expect(parseFieldValue(credential, 'USERNAME=u,passwordfile=/run/secrets/smtp')).toEqual({ ok: true, value: { username: 'u', passwordFile: '/run/secrets/smtp' } });
  });
  it('refuses a credential without a username, without a password source, or with a password', () => {
    expect(parseFieldValue(credential, 'passwordEnv=X').ok).toBe(false);
    expect(parseFieldValue(credential, 'username=u').ok).toBe(false);
    const withPassword = parseFieldValue(credential, 'username=u,password=hunter2');
    expect(withPassword.ok).toBe(false);
    expect(!withPassword.ok && withPassword.error).toMatch(/--authentication-credential/);
  });
});

describe('--ad-permissions (R43)', () => {
  const spec = RECEIVE_CONNECTOR.fields.find((f) => f.key === 'adPermissions')!;

  it('R43 reads principals with spaces and backslashes, several rights and several grants', () => {
    expect(parseFieldValue(spec, 'NT AUTHORITY\\ANONYMOUS LOGON=ms-Exch-SMTP-Accept-Any-Recipient; MS Exchange\\Partner Servers=ms-Exch-SMTP-Submit,ms-Exch-Bypass-Anti-Spam')).toEqual({
      ok: true,
      value: [
        { user: 'NT AUTHORITY\\ANONYMOUS LOGON', extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'] },
        { user: 'MS Exchange\\Partner Servers', extendedRights: ['ms-Exch-SMTP-Submit', 'ms-Exch-Bypass-Anti-Spam'] },
      ],
    });
  });

  it('R43 refuses a grant without a principal, without rights, or with something that is not an extended right', () => {
    for (const bad of ['=ms-Exch-SMTP-Submit', 'NT AUTHORITY\\ANONYMOUS LOGON', 'NT AUTHORITY\\ANONYMOUS LOGON=relay-everything', '']) {
      expect(parseFieldValue(spec, bad).ok, bad).toBe(false);
    }
  });
});

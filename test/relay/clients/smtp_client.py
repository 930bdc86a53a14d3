#!/usr/bin/env python3
"""Python's smtplib as a real SMTP client for the relay tests. Prints one JSON object.

  smtp_client.py ehlo HOST PORT [--starttls] [--cafile F]
  smtp_client.py send HOST PORT --from A --to B [--to C] [--starttls] [--cafile F] [--cert F --key F]
                  [--user U --password P] [--smtputf8] [--source IP] [--size N] [--body TEXT]
"""
import argparse, json, smtplib, ssl, sys
from email.message import EmailMessage

p = argparse.ArgumentParser()
p.add_argument('action')
p.add_argument('host')
p.add_argument('port', type=int)
p.add_argument('--starttls', action='store_true')
p.add_argument('--cafile')
p.add_argument('--cert')
p.add_argument('--key')
p.add_argument('--user')
p.add_argument('--password')
p.add_argument('--from', dest='sender', default='')
p.add_argument('--to', action='append', default=[])
p.add_argument('--smtputf8', action='store_true')
p.add_argument('--source')
p.add_argument('--body', default='hello from smtplib\n')
p.add_argument('--size', type=int)
a = p.parse_args()

out = {}


def features(s):
    # smtplib keeps EHLO keywords in order, lower-cased; AUTH's value may carry extra spaces.
    return [k.upper() + ((' ' + ' '.join(v.split())) if v.strip() else '') for k, v in s.esmtp_features.items()]


try:
    s = smtplib.SMTP(a.host, a.port, timeout=20, source_address=(a.source, 0) if a.source else None)
    out['banner'] = s.ehlo()[0]
    out['ehlo'] = features(s)
    if a.starttls:
        ctx = ssl.create_default_context(cafile=a.cafile)
        ctx.check_hostname = False
        if a.cert:
            ctx.load_cert_chain(a.cert, a.key)
        code, _ = s.starttls(context=ctx)
        out['starttls'] = code
        out['tlsVersion'] = s.sock.version()
        s.ehlo()
        out['ehloTls'] = features(s)
    if a.user:
        try:
            code, _ = s.login(a.user, a.password)
            out['auth'] = code
        except smtplib.SMTPAuthenticationError as e:
            out['auth'] = e.smtp_code
    if a.action == 'send':
        m = EmailMessage()
        m['From'] = a.sender or 'postmaster@example.net'
        m['To'] = ', '.join(a.to)
        m['Subject'] = 'relay test ✓' if a.smtputf8 else 'relay test'
        m.set_content(a.body if a.size is None else ('x' * 70 + '\n') * (a.size // 71 + 1))
        opts = ['SMTPUTF8'] if a.smtputf8 else []
        try:
            refused = s.send_message(m, from_addr=a.sender, to_addrs=a.to, mail_options=opts)
            out['refused'] = {k: [v[0], v[1].decode('utf8', 'replace')] for k, v in refused.items()}
            out['sent'] = True
        except smtplib.SMTPRecipientsRefused as e:
            out['sent'] = False
            out['refused'] = {k: [v[0], v[1].decode('utf8', 'replace')] for k, v in e.recipients.items()}
        except smtplib.SMTPResponseException as e:
            out['sent'] = False
            out['error'] = [e.smtp_code, e.smtp_error.decode('utf8', 'replace')]
    s.quit()
except Exception as e:  # noqa: BLE001 - the test reads the kind of failure
    out['exception'] = type(e).__name__ + ': ' + str(e)
print(json.dumps(out))

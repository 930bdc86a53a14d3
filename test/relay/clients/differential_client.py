#!/usr/bin/env python3
"""Plays many SMTP sessions for the differential test with smtplib and prints what the relay answered.

stdin: JSON list of {port, source, auth: none|user|partner|server, sender, recipients[], cafile,
cert?, key?, user?, password?}. stdout: JSON list of {ehlo[], ehloTls[]|null, mail: [code, text],
rcpt: [[code, text]...]} (rcpt empty when MAIL was refused).
"""
import json, smtplib, ssl, sys


def features(s):
    return [k.upper() + ((' ' + ' '.join(v.split())) if v.strip() else '') for k, v in s.esmtp_features.items()]


results = []
for job in json.load(sys.stdin):
    out = {'ehlo': None, 'ehloTls': None, 'mail': None, 'rcpt': [], 'auth': None}
    try:
        s = smtplib.SMTP('127.0.0.1', job['port'], timeout=20, source_address=(job['source'], 0))
        out['localPort'] = s.sock.getsockname()[1]
        s.ehlo('client.example')
        out['ehlo'] = features(s)
        if job['auth'] != 'none' and s.has_extn('starttls'):
            ctx = ssl.create_default_context(cafile=job['cafile'])
            ctx.check_hostname = False
            if job.get('cert'):
                ctx.load_cert_chain(job['cert'], job['key'])
            s.starttls(context=ctx)
            s.ehlo('client.example')
            out['ehloTls'] = features(s)
        if job['auth'] == 'user' and s.has_extn('auth'):
            code, _ = s.docmd('AUTH', 'PLAIN ' + __import__('base64').b64encode(('\0%s\0%s' % (job['user'], job['password'])).encode()).decode())
            out['auth'] = code
        code, text = s.docmd('MAIL', 'FROM:<%s>' % job['sender'])
        out['mail'] = [code, text.decode()]
        if code == 250:
            for r in job['recipients']:
                code, text = s.docmd('RCPT', 'TO:<%s>' % r)
                out['rcpt'].append([code, text.decode()])
        s.quit()
    except Exception as e:  # noqa: BLE001
        out['exception'] = type(e).__name__ + ': ' + str(e)
    results.append(out)
print(json.dumps(results))

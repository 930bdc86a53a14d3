#!/usr/bin/env python3
"""CVE-2011-0411 probe: pipeline a command after STARTTLS in clear text, then do the TLS handshake and
see whether the server answers that command inside TLS. Prints JSON {starttls, insideFirst}."""
import json, socket, ssl, sys

host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=10)
f = s.makefile('rb')
f.readline()
s.sendall(b'EHLO probe.example\r\n')
while True:
    line = f.readline()
    if line[3:4] == b' ':
        break
s.sendall(b'STARTTLS\r\nRSET\r\n')
starttls = f.readline().decode().strip()
ctx = ssl.create_default_context(cafile=cafile)
ctx.check_hostname = False
t = ctx.wrap_socket(s, server_hostname=host)
t.sendall(b'NOOP\r\n')
tf = t.makefile('rb')
inside = tf.readline().decode().strip()
print(json.dumps({'starttls': starttls, 'insideFirst': inside}))

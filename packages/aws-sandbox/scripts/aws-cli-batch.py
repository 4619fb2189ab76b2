#!/usr/bin/env python3
"""Runs several AWS CLI commands against a local sandbox in one Python process (the CLI's own driver,
argument parsing, signing and protocol code, as `aws` runs them): starting the CLI once instead of per
command turns a minute of interpreter start-ups into a second.

Usage: aws-cli-batch.py ENDPOINT_URL < commands   (one JSON array of CLI arguments per line, e.g.
["sts", "get-caller-identity"]; an object {"args": [...], "env": {...}} sets environment variables for
that command only). Prints one JSON line per command: {"rc", "stdout", "stderr"}.
Uses the sandbox administrator key and ignores the user's own AWS config, so it never reaches AWS.
"""
import contextlib
import io
import json
import os
import sys

endpoint = sys.argv[1] if len(sys.argv) > 1 else ''
if not (endpoint.startswith('http://127.0.0.1:') or endpoint.startswith('http://localhost:')):
    print(f'refusing to run against {endpoint!r}: the check only talks to a local sandbox', file=sys.stderr)
    sys.exit(2)

os.environ.update({
    'AWS_ACCESS_KEY_ID': 'AKIASANDBOXADMIN0001',
    'AWS_SECRET_ACCESS_KEY': 'sandbox-admin-secret-key-not-a-real-secret',
    'AWS_DEFAULT_REGION': 'us-east-1',
    'AWS_REGION': 'us-east-1',
    'AWS_CONFIG_FILE': '/dev/null',
    'AWS_SHARED_CREDENTIALS_FILE': '/dev/null',
    'AWS_PAGER': '',
    'AWS_MAX_ATTEMPTS': '5',
})
for name in ('AWS_SESSION_TOKEN', 'AWS_PROFILE'):
    os.environ.pop(name, None)

try:
    from awscli.clidriver import create_clidriver
except ImportError:
    print('the AWS CLI (awscli) is not importable by this Python (Debian: apt-get install awscli)', file=sys.stderr)
    sys.exit(2)

for line in sys.stdin:
    if not line.strip():
        continue
    command = json.loads(line)
    args, env = (command, {}) if isinstance(command, list) else (command['args'], command.get('env', {}))
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            # A fresh driver per command: credentials and settings are read again, as a new `aws` would.
            rc = create_clidriver().main(['--endpoint-url', endpoint, '--output', 'json', *args])
    except SystemExit as exit_:
        rc = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    print(json.dumps({'rc': rc, 'stdout': out.getvalue(), 'stderr': err.getvalue()}), flush=True)

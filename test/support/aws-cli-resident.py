"""The AWS CLI, resident: runs `aws <args>` calls one after another in this one Python process, through
the CLI's own entry point (awscli.clidriver.main, all that the `aws` script calls), so that a test
pays Python's and the CLI's start-up once instead of once a call.

Each call is a JSON line on stdin, {"args": [...], "env": {...}}: it runs with exactly that
environment (plus the AWS_DATA_PATH that importing awscli sets, as in a fresh `aws` process), an
empty stdin, and its own stdout and stderr. Its answer is a JSON line on stdout:
{"exitCode", "stdout", "stderr"}, as the `aws` process would have exited and written. The first line
out is what `aws --version` prints here, for the caller to check it is the CLI on its PATH.
"""
import io
import json
import os
import sys
import traceback

import awscli.clidriver

# Set by `import awscli` from the environment this process started with (none of the calls' own).
DATA_PATH = os.environ["AWS_DATA_PATH"]
requests, answers, diagnostics = sys.stdin, sys.stdout, sys.stderr


def run(args, env):
    os.environ.clear()
    os.environ.update(env, AWS_DATA_PATH=DATA_PATH)
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdin, sys.stdout, sys.stderr, sys.argv = io.StringIO(""), out, err, ["aws", *args]
    try:
        # The `aws` script: sys.exit(awscli.clidriver.main()).
        code = awscli.clidriver.main()
    except SystemExit as exit:
        code = exit.code
    except Exception:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = requests, answers, diagnostics
    if code is None:
        code = 0
    elif not isinstance(code, int):
        err.write(f"{code}\n")
        code = 1
    out.flush()
    err.flush()
    return {
        "exitCode": code,
        "stdout": out.buffer.getvalue().decode("utf-8"),
        "stderr": err.buffer.getvalue().decode("utf-8"),
    }


version = run(["--version"], {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")})
answers.write(json.dumps(version["stdout"] + version["stderr"]) + "\n")
answers.flush()
for line in requests:
    call = json.loads(line)
    answers.write(json.dumps(run(call["args"], call["env"])) + "\n")
    answers.flush()

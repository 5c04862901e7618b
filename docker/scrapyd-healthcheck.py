"""Container healthcheck: exit 0 when Scrapyd answers daemonstatus.json.

Authenticates with SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the container's
environment, so a passing check also proves authentication works.
"""

import base64
import json
import os
import sys
import urllib.request

URL = os.environ.get("SCRAPYD_HEALTHCHECK_URL", "http://127.0.0.1:6800/daemonstatus.json")


def main() -> int:
    request = urllib.request.Request(URL)
    username = os.environ.get("SCRAPYD_USERNAME", "")
    password = os.environ.get("SCRAPYD_PASSWORD", "")
    if username and password:
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status = json.load(response).get("status")
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        print(f"scrapyd unhealthy: {error}", file=sys.stderr)
        return 1
    if status != "ok":
        print(f"scrapyd unhealthy: status {status!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

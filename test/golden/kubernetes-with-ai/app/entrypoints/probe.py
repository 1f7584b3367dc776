"""Container health check: GET the web server's health URL, standard library only.

Docker runs this inside the web server's container at every health interval. It
imports nothing of the application (``<name> health probe --url`` loads the whole
app, its settings and every component first), so it answers within the check's
timeout on a loaded host too.

    python -m app.entrypoints.probe [URL]    # exit 0 on a 2xx answer, else 1
"""

import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/health"
TIMEOUT_SECONDS = 4.0  # below the health check's own timeout (5 s)


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """GET ``url``; healthy when it answers 2xx. Returns (healthy, description)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return False, f"{url}: HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"{url}: {type(exc).__name__}: {exc}"
    return 200 <= status < 300, f"{url}: HTTP {status}"


def main(argv: list[str] | None = None) -> int:
    """Probe the URL given (or the default) and print the outcome."""
    args = sys.argv[1:] if argv is None else argv
    healthy, description = probe(args[0] if args else DEFAULT_URL)
    print(description, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())

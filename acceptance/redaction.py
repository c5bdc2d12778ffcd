"""Keep secrets out of logs, reports, JUnit files and the console.

Two layers:

* known secrets -- the password, token and application-credential secret
  of the cloud in use -- registered with ``register_secret`` (or all at once
  with ``register_connection_secrets``) and replaced wherever they appear;
* patterns for secrets we were never told about: ``"password": "..."``,
  ``X-Auth-Token: ...``, ``OS_PASSWORD=...``, ``secret=...`` and friends;
  and, for the shell commands of the settings, the value after ``-p``,
  ``--password``, ``--os-password``, a token-like flag or ``PASSWORD=``
  (``mask_command``; ``register_command_secrets`` makes those values known
  secrets, masked wherever they show up).

``scrub(text)`` cleans a string; ``RedactingFilter`` cleans log records
(message, arguments and exception text) and ``install_log_redaction()``
puts it on every handler of the root logger (behave's capture included).
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter "secrets" would mask ordinary words

_lock = threading.Lock()
_known: set[str] = set()

_KEYS = r"(?:password|passwd|adminpass|secret|token|application_credential_secret|os_password|auth_token|x-auth-token|x-subject-token|x-service-token)"
# A quoted key only has to contain one of these: "adminPass", "new_password",
# "client_secret", "access_token", "OS-TRUST:token" ... (nova's server create
# answer carries the guest's "adminPass").
_QUOTED_KEY = r"""["'][\w\-:.]*(?:password|passwd|pass|secret|token)[\w\-:.]*["']"""
_PATTERNS = [
    # JSON / Python reprs with any key naming a password, secret or token.
    re.compile(r"""(?P<key>""" + _QUOTED_KEY + r"""\s*[:=]\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
               re.IGNORECASE),
    # JSON / Python reprs: "password": "hunter2" or 'secret': 'x'
    re.compile(r"""(?P<key>["']?""" + _KEYS + r"""["']?\s*[:=]\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
               re.IGNORECASE),
    # HTTP headers and KEY=value in shell text: X-Auth-Token: gAAAA..., OS_PASSWORD=hunter2
    re.compile(r"(?P<key>\b" + _KEYS + r"\s*[:=]\s*)(?P<quote>)(?P<value>[^\s,;'\"}]+)", re.IGNORECASE),
    # Fernet tokens are recognisable on their own.
    re.compile(r"(?P<key>)(?P<quote>)(?P<value>\bgAAAAA[0-9A-Za-z_\-=]{20,})"),
]


# Shell commands from the settings (-D stop_compute_command=...) can carry a
# password or token: ``sshpass -p pw``, ``--os-password pw``, ``--os-token=t``,
# ``MYSQL_PASSWORD=pw``. What follows such a flag, or such a KEY=, is a secret.
_COMMAND_VALUE = r"""(?P<value>'[^']*'|"[^"]*"|[^\s'";|&]+)"""
_COMMAND_PATTERNS = [
    # -p (sshpass, mysql) and any long flag naming a password, token or secret.
    re.compile(r"(?P<key>(?<![\w-])(?:-p|(?i:--[\w-]*(?:password|passwd|token|secret)[\w-]*))(?:=|\s+))"
               + _COMMAND_VALUE),
    # PASSWORD=..., OS_PASSWORD=..., MYSQL_PWD=..., OS_TOKEN=... (environment assignments).
    re.compile(r"(?P<key>(?<![\w-])(?i:\w*(?:password|passwd|pwd|token|secret)\w*)=)" + _COMMAND_VALUE),
]


def command_secrets(command: str | None) -> list[str]:
    """The values after a secret-bearing flag or KEY= in a shell command."""
    found = []
    for pattern in _COMMAND_PATTERNS:
        for match in pattern.finditer(command or ""):
            value = match.group("value")
            found.append(value[1:-1] if value[:1] in "'\"" and len(value) > 1 else value)
    return [value for value in found if value and value != MASK]


def register_command_secrets(command: str | None) -> None:
    """Mask, wherever they appear later (a command's own output included),
    the secrets a command setting carries. All digits is taken for a port
    (``ssh -p 2222``), not registered: masking it everywhere would mangle
    ids and numbers; ``mask_command`` still masks it in the command."""
    for secret in command_secrets(command):
        if not secret.isdigit():
            register_secret(secret)


def mask_command(command: str) -> str:
    """A command (or its output) fit for a message: the value after every
    secret-bearing flag or KEY= masked, then ``scrub``bed."""
    for pattern in _COMMAND_PATTERNS:
        command = pattern.sub(lambda m: f"{m.group('key')}{MASK}", command)
    return scrub(command)


def register_secret(secret: str | None) -> None:
    if secret and len(secret) >= _MIN_SECRET_LENGTH:
        with _lock:
            _known.add(secret)


def register_connection_secrets(conn) -> None:
    """Register every secret an openstacksdk connection authenticates with."""
    auth = dict(conn.config.config.get("auth") or {})
    for key in ("password", "token", "application_credential_secret", "secret"):
        register_secret(auth.get(key))
    try:
        register_secret(conn.session.get_token())
    except Exception:  # noqa: BLE001 - no token yet: the patterns still apply
        pass


def forget_secrets() -> None:
    """For tests."""
    with _lock:
        _known.clear()


def scrub(text: str) -> str:
    if not text:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)  # longest first: no partial leftovers
    for secret in known:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: f"{m.group('key')}{m.group('quote')}{MASK}{m.group('quote')}",
                           text)
    return text


class RedactingFilter(logging.Filter):
    """Scrub a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is not ours to fix
            return True
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_FILTER = RedactingFilter()


def install_log_redaction(logger: logging.Logger | None = None) -> RedactingFilter:
    """Put the filter on ``logger`` (default: root) and on each of its handlers.

    Handlers added later (behave adds its capture handler per scenario) are
    covered by the filter on the logger for records logged there, and by
    ``RedactingFilter`` on the handler for records propagated from children,
    so call this again after behave sets up logging capture.
    """
    logger = logger or logging.getLogger()
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    for handler in logger.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    _install_record_factory()
    return _FILTER


_factory_installed = False


def _install_record_factory() -> None:
    """Logger filters do not see records propagated from child loggers
    (keystoneauth, openstack, urllib3); a record factory sees every record."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _FILTER.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


class RedactingStream:
    """A text stream that scrubs what is written through it; everything
    else (isatty, encoding, fileno, ...) is the wrapped stream's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(scrub(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def redact_console() -> None:
    """Wrap sys.stdout and sys.stderr (prints, tracebacks, behave's echo of captured output)."""
    import sys

    if not isinstance(sys.stdout, RedactingStream):
        sys.stdout = RedactingStream(sys.stdout)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)


def redact_behave_output(runner) -> None:
    """Wrap the streams behave's formatters opened before any hook ran
    (they hold the original sys.stdout, not a later replacement).

    Call from before_all with ``context._runner``. A formatter writing to a
    file it has not opened yet is not covered here: pass its directory to
    ``scrub_tree`` at exit instead.
    """
    for formatter in getattr(runner, "formatters", []) or []:
        stream = getattr(formatter, "stream", None)
        if stream is None or isinstance(stream, RedactingStream):
            continue
        wrapped = RedactingStream(stream)
        formatter.stream = wrapped
        opener = getattr(formatter, "stream_opener", None)
        if opener is not None and opener.stream is stream:
            # behave asserts the two are the same object when it closes them.
            opener.stream = wrapped


def scrub_file(path) -> bool:
    """Scrub a written report in place; True when something was masked."""
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # binary (screenshots) or gone
    cleaned = scrub(text)
    if cleaned == text:
        return False
    path.write_text(cleaned, encoding="utf-8")
    return True


def scrub_tree(directory) -> list[str]:
    """Scrub every text file under ``directory`` (JUnit XML, HTML, logs).

    A directory that looks like a source tree (a .git or pyproject.toml in
    it) is refused: report directories only.
    """
    from pathlib import Path

    root = Path(directory)
    if not root.is_dir() or (root / ".git").exists() or (root / "pyproject.toml").exists():
        return []
    return [str(path) for path in sorted(root.rglob("*")) if path.is_file() and scrub_file(path)]


def scrub_reports(paths) -> list[str]:
    """Scrub report files, and report directories through ``scrub_tree``."""
    from pathlib import Path

    changed = []
    for path in map(Path, paths):
        if path.is_dir():
            changed += scrub_tree(path)
        elif path.is_file() and scrub_file(path):
            changed.append(str(path))
    return changed

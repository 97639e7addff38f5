"""What the command line prints: text from papers made safe for a terminal, streams that never fail.

Titles, abstracts, evidence and warnings come from listings and APIs, so they are untrusted. A
raw ESC or C1 control in one is a terminal escape sequence: it can set the window title (OSC
``ESC ] 0 ; ... BEL``), move the cursor, hide or rewrite earlier lines. `visible` shows every
such character as an escape (``\\x1b``) instead; tab and newline stay, the tables need them.

`setup_streams` makes printing work under any stdout encoding (``PYTHONIOENCODING=ascii``, a
Latin-1 terminal, a pipe on Windows): a character the encoding lacks is written as a Python
escape (``\\u2026``) rather than raising UnicodeEncodeError halfway through the output.
"""

from __future__ import annotations

import re
import sys

# C0 controls but tab and newline (CR too: it can overwrite what a line showed), DEL, and the C1
# controls U+0080..U+009F (U+009B is CSI, U+009D is OSC on terminals that honour C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str, *, json: bool = False) -> str:
    r"""`text` with every terminal control character shown as an escape instead of acted on.

    Plain text gets ``\x1b``; with ``json=True`` (a JSON document being printed) ``\u001b``,
    the one form that keeps the JSON valid and means the same character.

    >>> visible("Title\x1b]0;pwned\x07 end\tok")
    'Title\\x1b]0;pwned\\x07 end\tok'
    >>> visible('"Ti\x9btle"', json=True)
    '"Ti\\u009btle"'
    """
    if json:
        return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def echo(text: object = "", *, err: bool = False) -> None:
    """Print one line that may hold untrusted text, to stdout (or stderr with `err`)."""
    print(visible(str(text)), file=sys.stderr if err else sys.stdout)


def setup_streams() -> None:
    """Let stdout and stderr write any text: characters the encoding lacks become escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on some replaced streams
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")

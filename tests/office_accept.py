"""Accept or reject every tracked change of DOCX files in a running LibreOffice, and save the
result as DOCX: a real word processor's Accept all / Reject all, for the tests.

python3-uno is built for Debian's own Python, so this script runs under ``/usr/bin/python3``
as a subprocess of the tests (see ``tests/test_office_accept.py``), never inside pytest:

    /usr/bin/python3 tests/office_accept.py PORT accept IN.docx OUT.docx [reject IN2 OUT2 …]

It connects to the headless soffice listening on 127.0.0.1:PORT (waiting up to a minute for
it), and for each (mode, source, target) opens the source hidden, dispatches
.uno:AcceptAllTrackedChanges or .uno:RejectAllTrackedChanges, checks that no change is left,
and stores the document with the "MS Word 2007 XML" filter.  Exit status 0 when every file
was done; otherwise a message on stderr.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _props(**values) -> tuple:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def connect(port: int, wait: float = 60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + wait
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def run(context, mode: str, source: Path, target: Path) -> None:
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(source.resolve())), "_blank", 0, _props(Hidden=True)
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    try:
        before = document.getRedlines().getCount() if hasattr(document, "getRedlines") else -1
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, COMMANDS[mode], "", 0, ())
        left = document.getRedlines().getCount() if hasattr(document, "getRedlines") else 0
        if left:
            raise RuntimeError(f"{source}: {left} of {before} changes left after {mode}")
        document.storeToURL(
            uno.systemPathToFileUrl(str(target.resolve())),
            _props(FilterName="MS Word 2007 XML", Overwrite=True),
        )
    finally:
        document.close(True)


def main(argv: list[str]) -> int:
    if len(argv) < 5 or (len(argv) - 2) % 3:
        print(__doc__, file=sys.stderr)
        return 2
    context = connect(int(argv[1]))
    jobs = argv[2:]
    for k in range(0, len(jobs), 3):
        mode, source, target = jobs[k], Path(jobs[k + 1]), Path(jobs[k + 2])
        if mode not in COMMANDS:
            print(f"unknown mode {mode!r} (accept or reject)", file=sys.stderr)
            return 2
        run(context, mode, source, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

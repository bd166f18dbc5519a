"""Edit a DOCX in LibreOffice through UNO, as a reviewer would: run with Debian's
/usr/bin/python3 (python3-uno), against a soffice already listening on a socket.

    /usr/bin/python3 tests/office_edit.py PORT IN.docx OUT.docx EDITS.json

EDITS.json: {"record": true|false, "author": "...", "edits": [...]}, each edit one of
  {"op": "insert", "find": T, "text": S}        insert S just before the text T
  {"op": "delete", "find": T}                   delete the text T
  {"op": "replace", "find": T, "text": S}       replace the text T by S
  {"op": "delete_paragraph", "find": T}         delete the paragraph holding T, its mark too
  {"op": "add_paragraph", "find": T, "text": S} a new paragraph S after the one holding T
  {"op": "comment", "find": T, "text": S}       a comment S over the text T
The file is saved as "MS Word 2007 XML".  Every T must be found, or the script fails.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(port):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            return resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
            )
        except Exception:
            time.sleep(0.5)
    raise SystemExit("soffice did not answer")


def find(doc, text):
    """Return a text cursor selecting the first `text` of a body paragraph (LibreOffice's
    own search needs a view, which a model loaded alone does not have)."""
    body = doc.getText()
    paragraphs = body.createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if not paragraph.supportsService("com.sun.star.text.Paragraph"):
            continue
        at = paragraph.getString().find(text)
        if at >= 0:
            cursor = body.createTextCursorByRange(paragraph.getStart())
            cursor.goRight(at, False)
            cursor.goRight(len(text), True)
            return cursor
    raise SystemExit(f"not found: {text!r}")


def main(port, source, target, edits_path):
    with open(edits_path, encoding="utf-8") as f:
        spec = json.load(f)
    context = connect(port)
    smgr = context.ServiceManager
    settings = smgr.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = settings.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    access.setPropertyValue("givenname", spec.get("author", "Reviewer"))
    access.setPropertyValue("sn", "")
    access.commitChanges()
    # The document is loaded as a model only, with no frame and no view: the -nogui build
    # of LibreOffice crashes making the comment windows of a view.
    doc = smgr.createInstanceWithContext("com.sun.star.text.TextDocument", context)
    doc.load((prop("URL", uno.systemPathToFileUrl(source)), prop("FilterName", "MS Word 2007 XML")))
    try:
        doc.RecordChanges = bool(spec.get("record", True))
        text = doc.getText()
        for edit in spec["edits"]:
            op = edit["op"]
            found = find(doc, edit["find"])
            if op == "insert":
                text.insertString(found.getStart(), edit["text"], False)
            elif op == "delete":
                found.setString("")
            elif op == "replace":
                found.setString(edit["text"])
            elif op == "delete_paragraph":
                cursor = found
                cursor.gotoStartOfParagraph(False)
                cursor.gotoEndOfParagraph(True)
                cursor.goRight(1, True)
                cursor.setString("")
            elif op == "add_paragraph":
                cursor = found
                cursor.gotoEndOfParagraph(False)
                found.getText().insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
                found.getText().insertString(cursor, edit["text"], False)
            elif op == "comment":
                note = doc.createInstance("com.sun.star.text.textfield.Annotation")
                note.Author = spec.get("author", "Reviewer")
                note.Content = edit["text"]
                found.getText().insertTextContent(found, note, True)
            else:
                raise SystemExit(f"unknown edit {op}")
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])

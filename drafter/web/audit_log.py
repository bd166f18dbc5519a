"""The audit log in words: "Tỉnh ủy Thái Nguyên đã gửi ý kiến (12 ý kiến)", each entry with a
link to what it changed.  Entries store a stable code (``submission.create``) and a target
(``comment 7``); this module turns them into translated phrases when the page is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from ..errors import N_
from ..model import AuditEntry

#: One phrase per action; %(actor)s is the unit for a delegate's action, else the person.
PHRASES = {
    "sign-in": N_("%(actor)s signed in"),
    "organizer.create": N_("The organizer account %(details)s was created"),
    "unit.create": N_("%(actor)s added the unit %(details)s"),
    "delegate.create": N_("%(actor)s added the delegate %(details)s"),
    "invitation.create": N_("%(actor)s made a new invitation link"),
    "invitation.revoke": N_("%(actor)s revoked the invitation links"),
    "invitation.accept": N_("%(actor)s set a password with an invitation link"),
    "user.disable": N_("%(actor)s disabled an account"),
    "user.enable": N_("%(actor)s enabled an account again"),
    "version.import": N_("%(actor)s imported %(details)s"),
    "consultation.create": N_("%(actor)s opened the consultation “%(details)s”"),
    "consultation.close": N_("%(actor)s closed the consultation"),
    "consultation.invite": N_("%(actor)s invited %(details)s"),
    "consultation.share": N_("%(actor)s changed whether units see each other’s comments"),
    "comment.create": N_("%(actor)s wrote a comment"),
    "comment.edit": N_("%(actor)s edited a comment"),
    "comment.withdraw": N_("%(actor)s withdrew a comment"),
    "comment.answer": N_("%(actor)s answered a comment"),
    "submission.create": N_("%(actor)s sent its comments"),
    "submission.withdraw": N_("%(actor)s took back its response to change it"),
    "comment.enter": N_("%(actor)s entered a comment received from %(details)s"),
    "submission.enter": N_("%(actor)s submitted the response of %(details)s on its behalf"),
    "letter.attach": N_("%(actor)s attached a letter (%(details)s)"),
    "answers.publish": N_("%(actor)s published answers to the units"),
    "consultation.extend": N_("%(actor)s extended the deadline"),
    "consultation.reopen": N_("%(actor)s reopened the consultation"),
    "unit.update": N_("%(actor)s changed the unit %(details)s"),
    "unit.disable": N_("%(actor)s deactivated a unit"),
    "unit.enable": N_("%(actor)s reactivated a unit"),
    "delegate.update": N_("%(actor)s changed the delegate %(details)s"),
    "roster.import": N_("%(actor)s imported a roster"),
    "password.change": N_("%(actor)s changed their password"),
    "password.reset-request": N_("A password reset link was asked for"),
    "password.reset-throttled": N_("Too many password reset links were asked for"),
    "password.reset": N_("%(actor)s set a new password with a reset link"),
    "reminder.queue": N_("%(actor)s sent reminders to the units that have not responded"),
    "reminder.schedule": N_("%(actor)s scheduled reminders before the deadline"),
    "mail.schedule": N_("Scheduled messages were queued"),
    "export.request": N_("%(actor)s asked for an export to be prepared"),
    "export.ready": N_("An export asked for by %(actor)s is ready"),
    "demo.scale": N_("%(actor)s generated a consultation with many comments (demo)"),
    "template.create": N_("%(actor)s added an answer template"),
    "template.delete": N_("%(actor)s deleted an answer template"),
    "group.split": N_("%(actor)s took a comment out of its group of similar comments"),
    "group.move": N_("%(actor)s moved a comment to another group of similar comments"),
    "group.place": N_("%(actor)s grouped the similar comments submitted before grouping existed"),
    "review.upload": N_("%(actor)s uploaded a Word file for %(details)s"),
    "review.import": N_("%(actor)s saved the items of a Word file for %(details)s"),
    "review.discard": N_("%(actor)s discarded a Word file (%(details)s)"),
}

#: What a target names, by its first word.
TARGETS = {
    "comment": N_("comment %(n)s"),
    "submission": N_("response %(n)s"),
    "consultation": N_("consultation %(n)s"),
    "draft": N_("draft %(n)s"),
    "user": N_("account %(n)s"),
    "unit": N_("unit %(n)s"),
    "template": N_("answer template %(n)s"),
    "review": N_("Word file %(n)s"),
}


@dataclass(frozen=True)
class Line:
    """One entry as the page shows it."""

    at: str
    who: str
    phrase: str
    target: Markup
    details: str
    action: str


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
_ROSTER_COUNTS = {
    "units_created": N_("%(n)s units created"),
    "units_updated": N_("%(n)s units updated"),
    "delegates_created": N_("%(n)s delegates created"),
    "delegates_updated": N_("%(n)s delegates updated"),
}


def _local(match: re.Match[str]) -> str:
    from . import local_time  # the page's zone and format

    return local_time(match[0])


def _details(entry: AuditEntry, names: dict[str, dict[str, str]]) -> str:
    """Translate the details written in codes or English words: kinds and provisions,
    answer statuses, moments (in the page's zone), counts."""
    from . import provision_words

    if entry.action.startswith("comment.") and entry.action != "comment.answer":
        kind, _sep, key = entry.details.partition(" ")
        if kind in names["kind"]:
            return f"{names['kind'][kind]}, {provision_words(key or None)}"
    if entry.action == "comment.answer" and entry.details in names["status"]:
        return names["status"][entry.details]
    if entry.action == "roster.import":
        file, _sep, counts = entry.details.partition(": ")
        parts = []
        for part in counts.split(", "):
            name, _space, number = part.partition(" ")
            if name in _ROSTER_COUNTS and number.isdigit() and int(number):
                parts.append(_(_ROSTER_COUNTS[name], n=int(number)))
        return f"{file}: {', '.join(parts)}" if parts else file
    if _ISO_MOMENT.search(entry.details or ""):
        return _ISO_MOMENT.sub(_local, entry.details)
    if entry.action == "submission.create":
        if entry.details == "no comments":
            return _("no comments")
        found = re.fullmatch(r"(\d+) comments", entry.details)
        if found:
            n = int(found[1])
            return ngettext("%(num)d comment", "%(num)d comments", n)
    counted = re.fullmatch(r"(\d+) (answers|messages|days before)(: (.*))?", entry.details or "")
    if counted:
        n, what, unit = int(counted[1]), counted[2], counted[4]
        if what == "answers":
            text = ngettext("%(num)d answer", "%(num)d answers", n)
        elif what == "messages":
            text = ngettext("%(num)d message", "%(num)d messages", n)
        else:
            text = ngettext("%(num)d day before", "%(num)d days before", n)
        return f"{text}: {unit}" if unit else text
    if entry.action == "consultation.share":
        return _("comments shared") if entry.details == "1" else _("comments not shared")
    return entry.details


def _link(entry: AuditEntry) -> Markup:
    kind, _sep, number = entry.target.partition(" ")
    if kind not in TARGETS or not number.isdigit():
        return Markup(escape(entry.target))
    n = int(number)
    name = _(TARGETS[kind], n=n)
    href = None
    if kind == "comment":
        href = url_for("organize.comment", comment_id=n)
    elif kind == "consultation":
        href = url_for("organize.dashboard", consultation_id=n)
    elif kind == "submission" and entry.consultation_id:
        href = url_for("organize.dashboard", consultation_id=entry.consultation_id)
    elif kind == "draft":
        href = url_for("drafts.draft", draft_id=n)
    elif kind in ("user", "unit"):
        href = url_for("organize.units")
    elif kind == "template":
        href = url_for("organize.answer_templates")
    if href is None:
        return Markup(escape(name))
    return Markup(f'<a href="{escape(href)}">{escape(name)}</a>')


def present_all(entries: list[AuditEntry]) -> list[Line]:
    """Return the entries in the reader's language, each with a link to its object."""
    from . import labels  # translated names, for this request's language: built once

    names = labels()
    return [_present(entry, names) for entry in entries]


def _present(entry: AuditEntry, names: dict[str, dict[str, str]]) -> Line:
    who = entry.who or _("the system")
    actor = entry.unit or who
    details = _details(entry, names)
    phrase = PHRASES.get(entry.action)
    text = _(phrase, actor=actor, details=details) if phrase else f"{actor}: {entry.action}"
    text = text[:1].upper() + text[1:]
    shown_details = "" if phrase and "%(details)s" in phrase else details
    return Line(entry.at, who, text, _link(entry), shown_details, entry.action)

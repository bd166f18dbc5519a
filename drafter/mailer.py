"""SMTP delivery of one message (the standard library's smtplib)."""

from __future__ import annotations

import base64
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .config import SmtpTarget
from .model_mail import Mail

TIMEOUT = 30  # seconds


class DeliveryFailed(Exception):
    """The server could not be reached or refused the message (the reason is the text)."""


#: The longest encoded word we write: a folded line stays under 78 characters with its name.
ENCODED_WORD_MAX = 66


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def encode_header(text: str) -> str:
    """Return `text` as RFC 2047 encoded words, one per folded line, each holding the space
    before its first word: Python 3.11's own folding drops the space where it splits
    ("cấp tỉnh" arrived as "cấptỉnh")."""
    if text.isascii():
        return text
    chunks: list[str] = []
    current = ""
    for number, word in enumerate(text.split(" ")):
        piece = word if number == 0 else " " + word
        if current and len(_encoded_word(current + piece)) > ENCODED_WORD_MAX:
            chunks.append(current)
            current = piece
        else:
            current += piece
    chunks.append(current)
    return "\r\n ".join(_encoded_word(chunk) for chunk in chunks)


def build(mail: Mail, sender: str) -> EmailMessage:
    """Return the message as sent: plain text with an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message.set_raw("Subject", encode_header(" ".join(mail.subject.split())))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "drafter")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = mail.language  # after the bodies: set_content drops it
    return message


class Connection:
    """One SMTP session, opened on first use, reused for a whole pass of the outbox."""

    def __init__(self, target: SmtpTarget, sender: str) -> None:
        self.target = target
        self.sender = sender
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        target = self.target
        smtp: smtplib.SMTP
        if target.security == "tls":
            smtp = smtplib.SMTP_SSL(
                target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
            if target.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if target.username:
            smtp.login(target.username, target.password or "")
        return smtp

    def send(self, mail: Mail) -> None:
        """Deliver one message; raise DeliveryFailed with the reason."""
        try:
            if self._smtp is None:
                self._smtp = self._open()
            self._smtp.send_message(build(mail, self.sender))
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        except (ValueError, UnicodeError) as exc:  # a message that cannot be written as mail
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

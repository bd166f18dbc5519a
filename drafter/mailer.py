"""SMTP delivery of one message (the standard library's smtplib)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .config import SmtpTarget
from .model_mail import Mail

TIMEOUT = 30  # seconds


class DeliveryFailed(Exception):
    """The server could not be reached or refused the message (the reason is the text)."""


def build(mail: Mail, sender: str) -> EmailMessage:
    """Return the message as sent: plain text with an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
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

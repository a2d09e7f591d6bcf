"""Alert e-mail: one plain-text message per alert, sent through the operator's SMTP
server (`smtp_host`, `smtp_port`, `smtp_from`, optional STARTTLS and login)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from threadline.watch.errors import DeliveryFailed
from threadline.watch.records import Alert, Watch


@dataclass(frozen=True)
class MailServer:
    """Where and how to send mail."""

    host: str
    port: int = 25
    sender: str = "threadline@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def message(watch: Watch, alert: Alert, sender: str, recipient: str) -> EmailMessage:
    """The e-mail of one alert."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = f"[threadline] {alert.title}"[:200]
    mail["X-Threadline-Alert"] = alert.id
    lines = [
        f"Your watch on {watch.describe()} has something new:",
        "",
        f"  {alert.title}",
        "",
        "Entities: " + ", ".join(alert.entity_ids),
        f"Alert {alert.id}, watch {watch.id}, {alert.created_at}.",
        "",
        "Run `threadline alerts` or open the alerts page to see it.",
    ]
    mail.set_content("\n".join(lines))
    return mail


def send(server: MailServer | None, watch: Watch, alert: Alert, recipient: str) -> None:
    """Send one alert by e-mail, or `DeliveryFailed` saying why."""
    if server is None:
        raise DeliveryFailed("email: no SMTP server is configured (THREADLINE_SMTP_HOST)")
    mail = message(watch, alert, server.sender, recipient)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
            if server.starttls:
                smtp.starttls()
            if server.username:
                smtp.login(server.username, server.password or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"email to {recipient}: {error}") from None

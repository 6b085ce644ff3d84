"""Outgoing mail. With no MAIL_SERVER configured the message is written to the log instead."""
from flask import current_app
from flask_mail import Message

from app.extensions import mail


def send_mail(to: str, subject: str, body: str) -> None:
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info("mail (no SMTP configured) to=%s subject=%s\n%s", to, subject, body)
        return
    mail.send(Message(subject=subject, recipients=[to], body=body))

"""Delivering a digest where the team reads: an incoming webhook (Slack's JSON, which Mattermost and
Microsoft Teams' incoming webhooks take too) and mail (one message a person, text and HTML).

A webhook's address and the mail password are secrets: no message, error or log line shows more
of the address than its host, and credentials come from the environment only.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from urllib.parse import urlsplit

from ..errors import UserError
from .items import Digest

RETRIES = 3  # attempts for a refusal the server may get over (5xx, a dropped connection)
USER_VARIABLE, PASSWORD_VARIABLE = "PROMISESITE_SMTP_USER", "PROMISESITE_SMTP_PASSWORD"


class DeliveryError(UserError):
    """A post or a mail that could not be delivered: said without the secret."""


def shown(url: str) -> str:
    """A webhook's address as it may be printed: its host only (the path is the secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/…"


def post(url: str, text: str, wait: Callable[[float], None] = time.sleep, timeout: float = 20) -> int:
    """POST `{"text": …}` to an incoming webhook; retried on 5xx and dropped connections; the status."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise DeliveryError(f"--post needs an http(s) address, not {shown(url)}: give the webhook's URL")
    body = json.dumps({"text": text}).encode("utf-8")
    problem = ""
    for attempt in range(1, RETRIES + 1):
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the scheme is checked
                return response.status
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500:
                raise DeliveryError(
                    f"{shown(url)} refused the digest (HTTP {error.code}): check the webhook's address and that "
                    "it is still active; nothing was posted"
                ) from None
            problem = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            problem = str(getattr(error, "reason", error))
        if attempt < RETRIES:
            wait(2 ** (attempt - 1))
    raise DeliveryError(f"{shown(url)} did not take the digest after {RETRIES} attempts ({problem}): try again later")


def mail(
    digests: Sequence[Digest],
    server: str,
    sender: str,
    render_text: Callable[[Digest], str],
    render_html: Callable[[Digest], str],
    subject: str,
) -> list[str]:
    """One message a digest, to its person's registered email; the addresses it was sent to."""
    host, _, port = server.partition(":")
    if not host or (port and not port.isdigit()):
        raise DeliveryError(f"--smtp {server!r} is not HOST or HOST:PORT, e.g. --smtp smtp.example.org:587")
    if not sender:
        raise DeliveryError("--smtp needs --from: the address the digest comes from")
    user, password = os.environ.get(USER_VARIABLE, ""), os.environ.get(PASSWORD_VARIABLE, "")
    sent: list[str] = []
    try:
        with smtplib.SMTP(host, int(port or 25), timeout=30) as connection:
            connection.ehlo()
            if connection.has_extn("starttls"):
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if user:
                connection.login(user, password)
            for digest in digests:
                if digest.quiet or not digest.email:
                    continue
                message = EmailMessage()
                message["Subject"], message["From"], message["To"] = subject, sender, digest.email
                message.set_content(render_text(digest))
                message.add_alternative(render_html(digest), subtype="html")
                connection.send_message(message)
                sent.append(digest.email)
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(
            f"{host} refused the login: set {USER_VARIABLE} and {PASSWORD_VARIABLE} to the account's name and password"
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"mail through {host} failed ({type(error).__name__}): {len(sent)} sent before") from None
    return sent

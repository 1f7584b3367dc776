"""An email ready to send: addresses, subject, text and HTML parts."""

from email.message import EmailMessage
from email.utils import make_msgid

from pydantic import BaseModel, Field


class Email(BaseModel):
    """One message; the text part is required, the HTML part optional."""

    to: list[str] = Field(min_length=1)
    subject: str
    text: str
    html: str | None = None
    sender: str
    reply_to: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)

    def to_mime(self) -> EmailMessage:
        """The message as MIME: ``multipart/alternative`` when it has HTML."""
        mime = EmailMessage()
        mime["From"] = self.sender
        mime["To"] = ", ".join(self.to)
        mime["Subject"] = self.subject
        mime["Message-ID"] = make_msgid()
        if self.reply_to:
            mime["Reply-To"] = self.reply_to
        mime.set_content(self.text)
        if self.html is not None:
            mime.add_alternative(self.html, subtype="html")
        return mime

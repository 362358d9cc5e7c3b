"""Prints one saved message (a Maildir file written by aiosmtpd's Mailbox handler) as JSON:
the envelope recipient, the headers the tests check, the plain-text body and each attachment's
name, type, size and SHA-256. Used by tests/outbox_smtp.rs."""
import hashlib
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)

body = msg.get_body(preferencelist=("plain",))
out = {
    "rcpt_to": msg.get("X-RcptTo", ""),
    "mail_from": msg.get("X-MailFrom", ""),
    "to": str(msg.get("To", "")),
    "from": str(msg.get("From", "")),
    "subject": str(msg.get("Subject", "")),
    "message_id": str(msg.get("Message-ID", "")).strip(),
    "body": body.get_content() if body is not None else "",
    "attachments": [
        {
            "name": part.get_filename(),
            "mime": part.get_content_type(),
            "sha256": hashlib.sha256(part.get_content()).hexdigest(),
            "size": len(part.get_content()),
        }
        for part in msg.iter_attachments()
    ],
}
print(json.dumps(out))

from auditlog.registry import auditlog

from .models import ChannelChoice, Message

auditlog.register(ChannelChoice)
# A message's body is kept on the row itself; the log records when its status changed.
auditlog.register(Message, include_fields=["status", "attempts", "last_error", "sent_at"])

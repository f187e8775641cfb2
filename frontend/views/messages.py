"""我的消息: a person's own SMS copies and in-app messages; opening the page marks them read."""

from django.shortcuts import render

from access.scope import Actor
from frontend.pages import member_required, paginate
from notifications.selectors import messages_of
from notifications.services import message_mark_read


@member_required
def my_messages(request, actor: Actor):
    page = paginate(messages_of(actor.account_id), request)
    message_mark_read(actor=actor, message_ids=[m.pk for m in page.rows if m.read_at is None])
    return render(request, "frontend/messages.html", {"page": page})

"""Use cases. They take an injected UnitOfWork and never know which backend is behind it."""

from service.conversations import ImportReport, export_conversations, import_conversations, thread_messages
from service.messages import (
    append_messages,
    delete_messages,
    page_messages,
    recent_messages,
    update_message,
)
from service.retry import edit_thread, retry_on_conflict
from service.stats import store_stats
from service.threads import delete_thread, get_thread, list_threads, start_thread, update_thread

__all__ = [
    "ImportReport",
    "append_messages",
    "delete_messages",
    "delete_thread",
    "edit_thread",
    "export_conversations",
    "get_thread",
    "import_conversations",
    "list_threads",
    "page_messages",
    "recent_messages",
    "retry_on_conflict",
    "start_thread",
    "store_stats",
    "thread_messages",
    "update_message",
    "update_thread",
]

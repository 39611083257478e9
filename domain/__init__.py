"""d1store's domain: threads, messages, metadata, and the ports a backend implements."""

from domain.content import Content
from domain.conversation import Conversation
from domain.cursors import Direction, MessageCursor, ThreadCursor
from domain.errors import (
    AlreadyExists,
    CommitOutcomeUnknown,
    ConcurrencyConflict,
    D1StoreError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    StorageError,
    TransientStorageError,
    UnitOfWorkInUse,
)
from domain.ids import new_id
from domain.json_values import JsonValue
from domain.message import Message, Role
from domain.metadata import Metadata
from domain.patches import KEEP, MessagePatch, MetadataChanges, ThreadPatch
from domain.ports import MessageRepository, ThreadRepository, UnitOfWork
from domain.thread import Thread
from domain.views import (
    CommitReceipt,
    ContextWindow,
    MessagePage,
    RecentMessages,
    StoreStats,
    ThreadPage,
    ThreadQuery,
)

__all__ = [
    "KEEP",
    "AlreadyExists",
    "CommitOutcomeUnknown",
    "CommitReceipt",
    "ConcurrencyConflict",
    "Content",
    "ContextWindow",
    "Conversation",
    "D1StoreError",
    "Direction",
    "InvalidInput",
    "JsonValue",
    "LimitExceeded",
    "Message",
    "MessageCursor",
    "MessagePage",
    "MessagePatch",
    "MessageRepository",
    "Metadata",
    "MetadataChanges",
    "NotFound",
    "RecentMessages",
    "Role",
    "StorageError",
    "StoreStats",
    "Thread",
    "ThreadCursor",
    "ThreadPage",
    "ThreadPatch",
    "ThreadQuery",
    "ThreadRepository",
    "TransientStorageError",
    "UnitOfWork",
    "UnitOfWorkInUse",
    "new_id",
]

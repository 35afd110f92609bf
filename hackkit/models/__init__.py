"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from hackkit.models.base import Base
from hackkit.models.cocreation import DataFeedback, Proposal, ProposalVote
from hackkit.models.dataset import Dataset, DatasetVersion
from hackkit.models.event import Announcement, Challenge, Event, Registration
from hackkit.models.judging import (
    Assignment,
    Criterion,
    EventJudge,
    JudgeConflict,
    JudgingSettings,
    PairwiseVote,
    PublicVote,
    ResultsPublication,
    Review,
    Score,
)
from hackkit.models.notification import EventMessage, NotificationSetting
from hackkit.models.outbox import OutboxItem
from hackkit.models.outcome import OUTCOME_STATUSES, ProjectOutcome, ProjectUpdate
from hackkit.models.page_version import PageVersion
from hackkit.models.prize import Prize, PrizeSettings, PrizeWinner
from hackkit.models.stored_file import StoredFile, StoredFileChunk
from hackkit.models.submission import Submission, SubmissionScreenshot, SubmissionVersion
from hackkit.models.team import DeadlineExtension, JoinRequest, Membership, Team
from hackkit.models.token import ApiToken
from hackkit.models.user import ROLES, User
from hackkit.models.webhook import Webhook

__all__ = [
    "Assignment",
    "Criterion",
    "EventJudge",
    "JudgeConflict",
    "JudgingSettings",
    "PairwiseVote",
    "PublicVote",
    "ResultsPublication",
    "Review",
    "Score",
    "Announcement",
    "ApiToken",
    "Base",
    "Challenge",
    "DataFeedback",
    "Dataset",
    "DatasetVersion",
    "DeadlineExtension",
    "Event",
    "EventMessage",
    "JoinRequest",
    "Membership",
    "OUTCOME_STATUSES",
    "ProjectOutcome",
    "ProjectUpdate",
    "NotificationSetting",
    "OutboxItem",
    "PageVersion",
    "Prize",
    "PrizeSettings",
    "PrizeWinner",
    "Proposal",
    "ProposalVote",
    "ROLES",
    "Registration",
    "Submission",
    "SubmissionScreenshot",
    "StoredFile",
    "StoredFileChunk",
    "SubmissionVersion",
    "Team",
    "User",
    "Webhook",
]

"""What is stored, one module per thing. Importing this package registers every table."""

from campaign.models.abuse import AbuseRule, SigningSwitch, UsedChallenge
from campaign.models.account import Account, Role
from campaign.models.api import ApiKey, ApiScope, IdempotentRequest
from campaign.models.audit import AuditEvent
from campaign.models.consent import ConsentText
from campaign.models.delivery import (
    Delivery,
    DeliveryKind,
    DeliverySettings,
    DeliveryStatus,
    TargetMailHealth,
)
from campaign.models.impact import ChangeType, Contribution, Evidence, Outcome
from campaign.models.outreach import SupporterUpdate, UpdateMail, UpdateMailStatus, UpdateStatus
from campaign.models.petition import Petition, PetitionStatus, petition_targets
from campaign.models.petition_image import PetitionImage
from campaign.models.petition_slug import PetitionSlug
from campaign.models.petition_translation import PetitionTranslation
from campaign.models.report import Lesson, ReportRun, ReportRunStatus, Review, ReviewStatus, TargetResponse
from campaign.models.signature import Signature, SignatureStatus, SupporterMail
from campaign.models.tally import DailyTally, MetricTotal, PetitionTally, RecentTally, RegionTally
from campaign.models.target import Target
from campaign.models.theme import Theme
from campaign.models.webhook import EVENTS as WEBHOOK_EVENTS
from campaign.models.webhook import WebhookEndpoint, WebhookMessage, WebhookStatus

__all__ = [
    "AbuseRule",
    "ConsentText",
    "SigningSwitch",
    "UsedChallenge",
    "Account",
    "ApiKey",
    "ApiScope",
    "IdempotentRequest",
    "AuditEvent",
    "Role",
    "ChangeType",
    "Contribution",
    "Evidence",
    "Lesson",
    "ReportRun",
    "ReportRunStatus",
    "Review",
    "ReviewStatus",
    "DailyTally",
    "MetricTotal",
    "Outcome",
    "Delivery",
    "DeliveryKind",
    "DeliverySettings",
    "DeliveryStatus",
    "Petition",
    "PetitionStatus",
    "PetitionImage",
    "PetitionSlug",
    "PetitionTranslation",
    "PetitionTally",
    "RecentTally",
    "RegionTally",
    "Signature",
    "SignatureStatus",
    "SupporterMail",
    "TargetMailHealth",
    "Target",
    "TargetResponse",
    "Theme",
    "petition_targets",
    "WEBHOOK_EVENTS",
    "WebhookEndpoint",
    "WebhookMessage",
    "WebhookStatus",
    "SupporterUpdate",
    "UpdateMail",
    "UpdateMailStatus",
    "UpdateStatus",
]

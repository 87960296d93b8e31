"""What the catalog generator draws from: providers, path-parameter kinds, query and body fields.

The providers, base URLs, auth headers, categories, tags and routes follow the Harbor connector
references (``../shared/reference/harbor/connectors/*-port.md``) and the Sentry manifest; the
parameter and body shapes follow docs/RULES.md (typed, bounded, closed, anchored patterns). Each
pool entry pairs a schema with a function that draws a value the schema accepts, so every example
and default the generator writes is valid by construction.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Draw = Callable[[random.Random], Any]
MAX_SAFE = 9007199254740991  # 2**53 - 1, the largest integer a JavaScript number holds


@dataclass(frozen=True)
class Field:
    """One query parameter or body property: its name, schema, a value drawer, a description."""

    name: str
    schema: dict[str, Any]
    draw: Draw
    description: str
    default: Any = None


@dataclass(frozen=True)
class Resource:
    """A provider resource: plural noun (route segment), item placeholder kind, route above it."""

    plural: str
    singular: str
    id_kind: str
    parent: str = ""


@dataclass(frozen=True)
class Provider:
    """A connector reference's port worksheet and the route prefix of its API."""

    slug: str
    name: str
    website: str
    category: str
    tags: tuple[str, ...]
    base_url: str
    prefix: str
    resources: tuple[Resource, ...]
    header: str = "Authorization"
    token_prefix: str = "Bearer"
    scopes: dict[str, str] = field(default_factory=dict)  # placeholder in a parent -> id kind


def _word(rng: random.Random) -> str:
    return rng.choice(["acme", "harbor", "octo", "atlas", "nimbus", "delta", "orbit", "cobalt"])


def _slug_value(rng: random.Random) -> str:
    return f"{_word(rng)}-{rng.choice(['web', 'api', 'ops', 'core', 'mobile', 'data'])}"


def _int_value(rng: random.Random) -> int:
    return rng.randint(1, 99999)


def _uuid_value(rng: random.Random) -> str:
    return f"00000000-0000-4000-8000-{rng.randint(0, 999999):012d}"


def _date_time(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"


def _date(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _sentence(rng: random.Random) -> str:
    subject = rng.choice(["Checkout", "Login", "Search", "Billing", "Export", "Sync"])
    verb = rng.choice(["fails on retry", "times out", "needs review", "is slow", "was rolled back"])
    return f"{subject} {verb}"


# Path placeholders, by kind: schema (bounded, anchored, rejects '', '.', '..', '/') and drawer.
ID_KINDS: dict[str, tuple[dict[str, Any], Draw, str]] = {
    "int": (
        {"type": "integer", "minimum": 1, "maximum": MAX_SAFE},
        _int_value,
        "Numeric ID.",
    ),
    "slug": (
        {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", "maxLength": 100},
        _slug_value,
        "Letters, digits, '.', '-' and '_' only, so a value can never change the route.",
    ),
    "uuid": (
        {
            "type": "string",
            "format": "uuid",
            "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "maxLength": 36,
        },
        _uuid_value,
        "UUID, lower-case hex.",
    ),
    "numeric-string": (
        {"type": "string", "pattern": "^[0-9]{1,20}$", "maxLength": 20},
        lambda rng: str(rng.randint(1, 10**12)),
        "Numeric ID, as a string.",
    ),
}

PAGINATION: tuple[tuple[Field, ...], ...] = (
    (
        Field(
            "page",
            {"type": "integer", "minimum": 1, "maximum": 1000},
            lambda r: r.randint(1, 9),
            "Page number, from 1.",
            1,
        ),
        Field(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": 100},
            lambda r: r.choice([10, 25, 50, 100]),
            "Results per page; the maximum is 100.",
            30,
        ),
    ),
    (
        Field(
            "cursor",
            {"type": "string", "pattern": "^[A-Za-z0-9=_-]{1,200}$", "maxLength": 200},
            lambda r: f"page-{r.randint(2, 40)}",
            "Opaque cursor from the previous response's next_cursor.",
        ),
        Field(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 200},
            lambda r: r.choice([20, 50, 200]),
            "Maximum number of results.",
            50,
        ),
    ),
    (
        Field(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 500},
            lambda r: r.choice([25, 100]),
            "Maximum number of results.",
            100,
        ),
        Field(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": 100000},
            lambda r: r.randint(0, 500),
            "Number of results to skip.",
            0,
        ),
    ),
    (
        Field(
            "starting_after",
            {"type": "string", "pattern": "^[A-Za-z0-9_]{1,64}$", "maxLength": 64},
            lambda r: f"obj_{r.randint(100, 999)}",
            "ID of the last object of the previous page.",
        ),
        Field(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 100},
            lambda r: r.randint(1, 100),
            "Maximum number of objects.",
            10,
        ),
    ),
)

FILTERS: tuple[Field, ...] = (
    Field(
        "state",
        {"type": "string", "enum": ["open", "closed", "all"]},
        lambda r: r.choice(["open", "closed", "all"]),
        "Filter by state.",
        "open",
    ),
    Field(
        "sort",
        {"type": "string", "enum": ["created", "updated", "name"]},
        lambda r: r.choice(["created", "updated", "name"]),
        "Sort field.",
        "created",
    ),
    Field(
        "direction",
        {"type": "string", "enum": ["asc", "desc"]},
        lambda r: r.choice(["asc", "desc"]),
        "Sort direction.",
        "desc",
    ),
    Field(
        "since",
        {"type": "string", "format": "date-time", "maxLength": 40},
        _date_time,
        "Only results updated at or after this time (ISO 8601).",
    ),
    Field(
        "created_before",
        {"type": "string", "format": "date", "maxLength": 10},
        _date,
        "Only results created before this date.",
    ),
    Field(
        "q",
        {"type": "string", "maxLength": 256},
        lambda r: _word(r),
        "Free-text search over names and descriptions.",
    ),
    Field(
        "labels",
        {
            "type": "array",
            "items": {"type": "string", "pattern": "^[^,]{1,50}$", "maxLength": 50},
            "maxItems": 20,
            "uniqueItems": True,
        },
        lambda r: sorted({r.choice(["bug", "p1", "infra", "ux"]) for _ in range(2)}),
        "Labels to match (repeated keys).",
    ),
    Field(
        "ids",
        {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": MAX_SAFE},
            "maxItems": 50,
            "uniqueItems": True,
        },
        lambda r: sorted({r.randint(1, 5000) for _ in range(3)}),
        "IDs to include.",
    ),
    Field(
        "include_archived",
        {"type": "boolean"},
        lambda r: r.random() < 0.5,
        "Include archived results.",
        False,
    ),
    Field(
        "email",
        {"type": "string", "format": "email", "maxLength": 254},
        lambda r: f"{_word(r)}@example.com",
        "Filter by e-mail address.",
    ),
    Field(
        "status",
        {"type": "string", "enum": ["active", "paused", "failed", "ready"]},
        lambda r: r.choice(["active", "paused", "failed", "ready"]),
        "Filter by status.",
    ),
    Field(
        "min_score",
        {"type": "number", "minimum": 0, "maximum": 1},
        lambda r: round(r.random(), 2),
        "Minimum relevance score, 0 to 1.",
    ),
)

BODY_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        {"type": "string", "minLength": 1, "maxLength": 256},
        lambda r: f"{_word(r)} {r.choice(['rollout', 'review', 'launch', 'cleanup'])}",
        "Display name.",
    ),
    Field("description", {"type": "string", "maxLength": 65536}, _sentence, "Long description."),
    Field(
        "priority",
        {"type": "string", "enum": ["low", "medium", "high", "urgent"]},
        lambda r: r.choice(["low", "medium", "high", "urgent"]),
        "Priority.",
    ),
    Field("due_on", {"type": "string", "format": "date", "maxLength": 10}, _date, "Due date."),
    Field("private", {"type": "boolean"}, lambda r: r.random() < 0.5, "Visible to members only."),
    Field(
        "color",
        {"type": "string", "pattern": "^[0-9a-f]{6}$", "maxLength": 6},
        lambda r: r.choice(["d73a4a", "0e8a16", "1d76db", "fbca04"]),
        "Hex colour, no '#'.",
    ),
    Field(
        "amount",
        {"type": "number", "minimum": 0, "maximum": 1000000000},
        lambda r: round(r.uniform(1, 5000), 2),
        "Amount in the account currency.",
    ),
    Field(
        "quantity",
        {"type": "integer", "minimum": 1, "maximum": 10000},
        lambda r: r.randint(1, 50),
        "Quantity.",
    ),
    Field(
        "tags",
        {
            "type": "array",
            "items": {"type": "string", "pattern": "^[a-z0-9-]{1,40}$", "maxLength": 40},
            "maxItems": 20,
            "uniqueItems": True,
        },
        lambda r: sorted({r.choice(["prod", "eu", "beta", "team-a"]) for _ in range(2)}),
        "Tags to set.",
    ),
    Field(
        "assignee_ids",
        {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": MAX_SAFE},
            "maxItems": 10,
            "uniqueItems": True,
        },
        lambda r: sorted({r.randint(1, 900) for _ in range(2)}),
        "Users to assign.",
    ),
    Field(
        "contact_email",
        {"type": "string", "format": "email", "maxLength": 254},
        lambda r: f"ops@{_word(r)}.example",
        "Contact e-mail.",
    ),
    Field(
        "settings",
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "notify": {"type": "boolean", "description": "Send notifications."},
                "region": {"type": "string", "enum": ["us", "eu", "ap"], "description": "Region."},
                "retention_days": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 3650,
                    "description": "Days to keep data.",
                },
            },
        },
        lambda r: {"notify": r.random() < 0.5, "region": r.choice(["us", "eu", "ap"])},
        "Settings; unknown keys are refused.",
    ),
)


def _r(plural: str, singular: str, kind: str, parent: str = "") -> Resource:
    return Resource(plural, singular, kind, parent)


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "github",
        "GitHub",
        "https://docs.github.com/en/rest",
        "Developer Tools",
        ("github", "developer", "issues", "repositories"),
        "https://api.github.com/",
        "",
        (
            _r("issues", "issue_number", "int", "/repos/{owner}/{repo}"),
            _r("pulls", "pull_number", "int", "/repos/{owner}/{repo}"),
            _r("releases", "release_id", "int", "/repos/{owner}/{repo}"),
            _r("milestones", "milestone_number", "int", "/repos/{owner}/{repo}"),
            _r("hooks", "hook_id", "int", "/repos/{owner}/{repo}"),
            _r("branches", "branch", "slug", "/repos/{owner}/{repo}"),
        ),
        scopes={"owner": "slug", "repo": "slug"},
    ),
    Provider(
        "sentry",
        "Sentry",
        "https://docs.sentry.io/api/",
        "Observability",
        ("sentry", "errors", "issues", "monitoring"),
        "https://sentry.io/",
        "/api/0",
        (
            _r("projects", "projectIdOrSlug", "slug", "/organizations/{organizationIdOrSlug}"),
            _r("issues", "issueId", "numeric-string", "/organizations/{organizationIdOrSlug}"),
            _r("releases", "version", "slug", "/organizations/{organizationIdOrSlug}"),
            _r("monitors", "monitorIdOrSlug", "slug", "/organizations/{organizationIdOrSlug}"),
            _r("teams", "teamIdOrSlug", "slug", "/organizations/{organizationIdOrSlug}"),
        ),
        scopes={"organizationIdOrSlug": "slug"},
    ),
    Provider(
        "slack",
        "Slack",
        "https://api.slack.com/web",
        "Messaging",
        ("slack", "messaging", "chat", "workspace"),
        "https://slack.com/api/",
        "",
        (
            _r("conversations", "channel", "slug"),
            _r("users", "user", "slug"),
            _r("reminders", "reminder", "slug"),
            _r("bookmarks", "bookmark_id", "slug"),
            _r("files", "file", "slug"),
        ),
    ),
    Provider(
        "atlassian",
        "Atlassian",
        "https://developer.atlassian.com/cloud/jira/platform/",
        "Work Management",
        ("jira", "atlassian", "issues", "tickets"),
        "https://your-domain.atlassian.net/",
        "/rest/api/3",
        (
            _r("issue", "issueIdOrNumber", "slug"),
            _r("project", "projectIdOrName", "slug"),
            _r("filter", "filterId", "int"),
            _r("version", "versionId", "numeric-string"),
            _r("component", "componentId", "numeric-string"),
        ),
    ),
    Provider(
        "hubspot",
        "HubSpot",
        "https://developers.hubspot.com/docs/api/crm",
        "CRM",
        ("hubspot", "crm", "contacts", "deals"),
        "https://api.hubapi.com/",
        "/crm/v3",
        (
            _r("contacts", "contactId", "numeric-string", "/objects"),
            _r("companies", "companyId", "numeric-string", "/objects"),
            _r("deals", "dealId", "numeric-string", "/objects"),
            _r("tickets", "ticketId", "numeric-string", "/objects"),
            _r("notes", "noteId", "numeric-string", "/objects"),
        ),
    ),
    Provider(
        "netlify",
        "Netlify",
        "https://open-api.netlify.com/",
        "Infrastructure",
        ("netlify", "hosting", "sites", "deployments"),
        "https://api.netlify.com/api/v1/",
        "",
        (
            _r("sites", "site_id", "slug"),
            _r("deploys", "deploy_id", "slug", "/sites/{site_id}"),
            _r("build_hooks", "id", "slug", "/sites/{site_id}"),
            _r("forms", "form_id", "slug", "/sites/{site_id}"),
            _r("dns_zones", "zone_id", "slug"),
        ),
        scopes={"site_id": "slug"},
    ),
    Provider(
        "vercel",
        "Vercel",
        "https://vercel.com/docs/rest-api",
        "Infrastructure",
        ("vercel", "deployments", "projects", "hosting"),
        "https://api.vercel.com/",
        "/v9",
        (
            _r("projects", "idOrName", "slug"),
            _r("deployments", "idOrUrl", "slug"),
            _r("domains", "domain", "slug"),
            _r("aliases", "aliasId", "slug"),
            _r("env", "envId", "slug", "/projects/{projectIdOrName}"),
        ),
        scopes={"projectIdOrName": "slug"},
    ),
    Provider(
        "digitalocean",
        "DigitalOcean",
        "https://docs.digitalocean.com/reference/api/",
        "Infrastructure",
        ("digitalocean", "cloud", "droplets", "regions"),
        "https://api.digitalocean.com/",
        "/v2",
        (
            _r("droplets", "droplet_id", "int"),
            _r("volumes", "volume_id", "uuid"),
            _r("firewalls", "firewall_id", "uuid"),
            _r("tags", "tag_id", "slug"),
            _r("databases", "database_cluster_uuid", "uuid"),
        ),
    ),
    Provider(
        "discord",
        "Discord",
        "https://discord.com/developers/docs/reference",
        "Messaging",
        ("discord", "bot", "chat", "guilds"),
        "https://discord.com/api/v10/",
        "",
        (
            _r("channels", "channelId", "numeric-string"),
            _r("messages", "messageId", "numeric-string", "/channels/{channelId}"),
            _r("roles", "roleId", "numeric-string", "/guilds/{guildId}"),
            _r("members", "userId", "numeric-string", "/guilds/{guildId}"),
            _r("webhooks", "webhookId", "numeric-string", "/channels/{channelId}"),
        ),
        token_prefix="Bot",
        scopes={"channelId": "numeric-string", "guildId": "numeric-string"},
    ),
    Provider(
        "gitlab",
        "GitLab",
        "https://docs.gitlab.com/ee/api/rest/",
        "Developer Tools",
        ("gitlab", "developer", "merge-requests", "issues"),
        "https://gitlab.com/api/v4/",
        "",
        (
            _r("issues", "issue_iid", "int", "/projects/{id}"),
            _r("merge_requests", "merge_request_iid", "int", "/projects/{id}"),
            _r("pipelines", "pipeline_id", "int", "/projects/{id}"),
            _r("milestones", "milestone_id", "int", "/projects/{id}"),
            _r("labels", "label_id", "int", "/projects/{id}"),
        ),
        header="PRIVATE-TOKEN",
        token_prefix="",
        scopes={"id": "int"},
    ),
    Provider(
        "asana",
        "Asana",
        "https://developers.asana.com/reference",
        "Work Management",
        ("asana", "tasks", "projects", "planning"),
        "https://app.asana.com/api/1.0/",
        "",
        (
            _r("tasks", "task_gid", "numeric-string"),
            _r("projects", "project_gid", "numeric-string"),
            _r("sections", "section_gid", "numeric-string"),
            _r("tags", "tag_gid", "numeric-string"),
            _r("portfolios", "portfolio_gid", "numeric-string"),
        ),
    ),
    Provider(
        "airtable",
        "Airtable",
        "https://airtable.com/developers/web/api",
        "Data",
        ("airtable", "database", "records", "tables"),
        "https://api.airtable.com/",
        "/v0",
        (
            _r("records", "recordId", "slug", "/{baseId}/{tableIdOrName}"),
            _r("tables", "tableId", "slug", "/meta/bases/{baseId}"),
            _r("webhooks", "webhookId", "slug", "/bases/{baseId}"),
            _r("comments", "rowCommentId", "slug", "/{baseId}/{tableIdOrName}/records/{rec}"),
        ),
        scopes={"baseId": "slug", "tableIdOrName": "slug", "rec": "slug"},
    ),
    Provider(
        "zendesk",
        "Zendesk",
        "https://developer.zendesk.com/api-reference/",
        "CRM",
        ("zendesk", "support", "tickets", "helpdesk"),
        "https://acme.zendesk.com/",
        "/api/v2",
        (
            _r("tickets", "ticket_id", "int"),
            _r("users", "user_id", "int"),
            _r("organizations", "organization_id", "int"),
            _r("groups", "group_id", "int"),
            _r("macros", "macro_id", "int"),
        ),
        header="X-Api-Key",
        token_prefix="",
    ),
    Provider(
        "google",
        "Google",
        "https://developers.google.com/workspace",
        "Calendar",
        ("google", "calendar", "events", "scheduling"),
        "https://www.googleapis.com/",
        "/calendar/v3",
        (
            _r("events", "eventId", "slug", "/calendars/{calendarId}"),
            _r("acl", "ruleId", "slug", "/calendars/{calendarId}"),
            _r("calendarList", "calendarEntryId", "slug", "/users/me"),
            _r("settings", "setting", "slug", "/users/me"),
        ),
        scopes={"calendarId": "slug"},
    ),
    Provider(
        "microsoft",
        "Microsoft",
        "https://learn.microsoft.com/graph/api/overview",
        "Email",
        ("microsoft", "graph", "mail", "email"),
        "https://graph.microsoft.com/",
        "/v1.0/me",
        (
            _r("messages", "messageId", "slug"),
            _r("mailFolders", "mailFolderId", "slug"),
            _r("contacts", "contactId", "slug"),
            _r("events", "eventId", "slug"),
            _r("todoLists", "todoTaskListId", "slug", "/todo"),
        ),
    ),
    Provider(
        "calendly",
        "Calendly",
        "https://developer.calendly.com/api-docs",
        "Calendar",
        ("calendly", "scheduling", "meetings", "event-types"),
        "https://api.calendly.com/",
        "",
        (
            _r("scheduled_events", "uuid", "uuid"),
            _r("event_types", "uuid", "uuid"),
            _r("webhook_subscriptions", "webhook_uuid", "uuid"),
            _r("routing_forms", "uuid", "uuid"),
        ),
    ),
)

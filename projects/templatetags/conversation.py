"""The conversation on a page in one tag each, so a page template needs nothing
else: ``{% proposal_conversation proposal %}`` (the thread, read through the
selector in a fixed number of queries) and ``{% support_follow proposal %}``.

Rendering a thread stays cheap however long it is: what every comment repeats but
for its id and vote counts (the vote buttons, the reply form, the report form, with
their URLs and field ids) is rendered once per thread with placeholders and each
comment's numbers are stamped in (``{% comment_part %}``), so the templates and
their translations stay as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from stakeholders import permissions as sp
from stakeholders.models import CityRoleKind

from ..models import Proposal
from ..views_conversation import support_follow_context, thread_context

register = template.Library()


@dataclass(frozen=True)
class _Part:
    """A partial each comment renders that, within one thread, varies only with a
    few of the node's flags (``keyed``) and with numbers of the comment that it
    merely prints (``stamped``: the id in URLs and field ids, the vote counts). It
    is rendered once per thread for each combination of those flags, with the
    numbers replaced by placeholders, and each comment's own numbers are stamped
    into a copy. ``values`` are what the partial sees besides ``node``, the same
    for the whole thread (read from the comment's context).

    The partial sees a stand-in node that has only these fields, and a comment
    that has only ``stamped``: reading any other field is an error, so a partial
    can never depend on something the key does not cover. A stamped number may
    only be printed (``{{ comment.pk }}``, ``{% url ... pk=comment.pk %}``), never
    tested, compared or filtered."""

    template: str
    keyed: tuple[str, ...]
    stamped: tuple[str, ...]
    values: tuple[str, ...]


_PARTS = {
    "votes": _Part(
        "partials/_comment_votes.html",
        keyed=("mine", "hidden", "my_vote"),
        stamped=("pk", "upvotes", "downvotes", "score"),
        values=("signed_in", "csrf_token"),
    ),
    "reply": _Part(
        "partials/_comment_reply.html",
        keyed=(),
        stamped=("pk",),
        values=("proposal_id", "create_url", "csrf_token"),
    ),
    "flag": _Part(
        "partials/_comment_flag.html",
        keyed=(),
        stamped=("pk",),
        values=("reasons", "csrf_token"),
    ),
}

# Stamped numbers are rendered as these, then replaced by each comment's own:
# digits, so that an id still reverses through ``<int:pk>``; long and odd enough to
# appear nowhere else (a fragment whose values contain one is rendered per comment).
_MARKS = tuple(987650123456789 + 1_000_000_000_000 * i for i in range(4))
_SCALARS = (str, int, float, bool, type(None))


class _StandIn:
    """The node (or comment) a shared fragment is rendered with: only the fields
    its ``_Part`` declares; any other lookup fails loudly."""

    def __init__(self, what: str, **fields: Any) -> None:
        self.__dict__.update(fields)
        self._what = what

    def __getattr__(self, name: str) -> Any:
        raise template.TemplateSyntaxError(
            f"{name!r} is not among the fields of the {self._what} a shared comment "
            "fragment sees: declare it in _PARTS (projects/templatetags/conversation.py)"
        )


class CommentFragments:
    """The fragments already rendered for one thread. ``_conversation.html`` makes
    one per rendering (``{% comment_fragments as fragments %}``) and hands it down
    to every comment; a comment rendered alone (after posting it) has none and
    renders its partials in full, to the same HTML."""

    def __init__(self) -> None:
        self.html: dict[Any, str | None] = {}


@register.simple_tag
def comment_fragments() -> CommentFragments:
    return CommentFragments()


def _render_part(
    context: template.Context, part: _Part, node: Any, values: dict[str, Any]
) -> SafeString:
    """As ``{% include part.template with node=node <values> only %}`` would."""
    partial = context.template.engine.get_template(part.template)  # type: ignore[union-attr]
    return partial.render(context.new({"node": node, **values}))


@register.simple_tag(takes_context=True)
def comment_part(context: template.Context, name: str) -> SafeString:
    """``{% comment_part "votes" %}`` in ``_comment.html``: that partial of the
    comment ``node`` (see ``_PARTS``), rendered once per thread and stamped."""
    part = _PARTS[name]
    node = context["node"]
    values = {k: context.get(k) for k in part.values}
    fragments = context.get("fragments")
    # Alone (no thread), or numbers printed with separators (the stamps are plain
    # digits): rendered in full.
    if not isinstance(fragments, CommentFragments) or settings.USE_THOUSAND_SEPARATOR:
        return _render_part(context, part, node, values)
    comment = node.comment
    # The thread's values are the same objects for every comment (handed down the
    # includes): an object counts by identity, a plain value by value.
    key = (
        name,
        *[getattr(node, f) for f in part.keyed],
        *[v if isinstance(v, _SCALARS) else id(v) for v in values.values()],
    )
    try:
        html = fragments.html[key]
    except KeyError:
        if any(str(m) in str(v) for m in _MARKS for v in values.values()):
            html = None  # would be stamped over: render per comment
        else:
            marks = dict(zip(part.stamped, _MARKS, strict=False))
            keyed = {f: getattr(node, f) for f in part.keyed}
            stand_in = _StandIn("node", comment=_StandIn("comment", **marks), **keyed)
            html = _render_part(context, part, stand_in, values)
        fragments.html[key] = html
    if html is None:
        return _render_part(context, part, node, values)
    for field_name, mark in zip(part.stamped, _MARKS, strict=False):
        html = html.replace(str(mark), str(int(getattr(comment, field_name))))
    return mark_safe(html)  # noqa: S308 (our template rendered it; digits stamped in)


@register.inclusion_tag("partials/_conversation.html", takes_context=True)
def proposal_conversation(context: template.Context, proposal: Proposal) -> Any:
    return thread_context(context["request"], proposal)


@register.inclusion_tag("partials/_support_follow.html", takes_context=True)
def support_follow(context: template.Context, proposal: Proposal) -> Any:
    return support_follow_context(context["request"], proposal)


@register.simple_tag(takes_context=True)
def may_moderate_somewhere(context: template.Context) -> bool:
    """Staff, or a verified moderator of some city (with or without two-factor
    yet: the queue asks them to set it up). Costs no query once the header has
    read the person's roles."""
    user = getattr(context.get("request"), "user", None)
    if not sp.is_signed_in(user):
        return False
    return sp.is_staff(user) or any(
        role == CityRoleKind.MODERATOR for _city, role in sp._verified_roles(user)
    )


@register.filter
def ago(value: datetime | None) -> str:
    """ "just now", "4 minutes ago", "3 hours ago": one unit is enough in a thread
    (the exact time is in the element's title)."""
    if value is None:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return _("just now")
    return _("%(when)s ago") % {"when": timesince(value, depth=1)}


@register.filter
def moment(value: datetime | None) -> dict[str, str]:
    """When a comment was posted, the three ways its thread shows it, worked out
    together (one conversion to local time, one formatter): ``iso`` as
    ``|date:'c'``, ``title`` as ``|date:'j M Y, H:i'`` and ``ago`` as ``|ago``."""
    if value is None:
        return {"iso": "", "title": "", "ago": ""}
    local = dateformat.DateFormat(timezone.template_localtime(value))
    return {"iso": local.c(), "title": local.format("j M Y, H:i"), "ago": ago(value)}
